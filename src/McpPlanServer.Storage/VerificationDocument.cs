using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>A verification result as stored: passed is derived from the exit code and the timeout.</summary>
internal sealed class VerificationDocument
{
    public string Command { get; set; } = string.Empty;

    public int? ExitCode { get; set; }

    public bool TimedOut { get; set; }

    public long DurationMs { get; set; }

    public string OutputTail { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public string? HeadSha { get; set; }

    public VerificationResult ToResult() => new(Command, ExitCode, TimedOut, DurationMs, OutputTail, At, HeadSha);

    public static VerificationDocument From(VerificationResult result) => new()
    {
        Command = result.Command,
        ExitCode = result.ExitCode,
        TimedOut = result.TimedOut,
        DurationMs = result.DurationMs,
        OutputTail = result.OutputTail,
        At = result.At,
        HeadSha = result.HeadSha,
    };
}
