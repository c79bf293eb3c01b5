namespace McpPlanServer.EndToEnd.Support;

/// <summary>The outcome of installing a test folder's npm packages: ready, failed, or npm/the registry unreachable.</summary>
public sealed record NodeInstall(string Folder, string? Error, bool RegistryUnreachable);
