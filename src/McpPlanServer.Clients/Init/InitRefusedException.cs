namespace McpPlanServer.Clients.Init;

/// <summary>An existing file init must merge into cannot be read safely; nothing is written.</summary>
internal sealed class InitRefusedException(string message) : Exception(message);
