namespace McpPlanServer.Clients.Hooks;

/// <summary>The hook cannot decide safely (bad input, unknown role, unreadable config); the call is blocked.</summary>
internal sealed class HookInputException(string message) : Exception(message);
