namespace McpPlanServer.Cli.Verbs;

/// <summary>What every command's action writes to and reads the time from (tests pass their own writers).</summary>
public sealed record CliContext(TextWriter Output, TextWriter Error, TimeProvider Clock);
