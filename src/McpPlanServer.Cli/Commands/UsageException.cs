namespace McpPlanServer.Cli.Commands;

/// <summary>The command line itself is wrong (exit code 2); the message says what was expected.</summary>
public sealed class UsageException(string message) : Exception(message);
