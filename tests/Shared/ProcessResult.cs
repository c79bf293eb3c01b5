namespace McpPlanServer.Testing;

/// <summary>A finished process: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
