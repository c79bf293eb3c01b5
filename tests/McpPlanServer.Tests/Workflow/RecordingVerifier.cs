using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The one stand-in of the workflow fixture: the verifier runs arbitrary commands of the person's choosing, so the
/// in-process rules get one that records what it was asked (command, timeout, commit) and answers with the exit code
/// the test set. The real runner has tests of its own (<see cref="VerificationOnCommitTests"/>).
/// </summary>
internal sealed class RecordingVerifier(TimeProvider clock) : IVerificationRunner
{
    private readonly List<(string Command, TimeSpan Timeout, string? HeadSha)> asked = [];

    public IReadOnlyList<(string Command, TimeSpan Timeout, string? HeadSha)> Asked => asked;

    public int ExitCode { get; set; }

    public bool TimesOut { get; set; }

    /// <summary>Runs while the verification is in flight (outside the workflow's lock), as another process would.</summary>
    public Action? WhileRunning { get; set; }

    /// <summary>
    /// Runs once, at the next verification, while it is in flight (outside the workflow's lock): another process's
    /// change, which may itself hand in or integrate (its own verification does not run this again).
    /// </summary>
    public Func<Task>? OnceWhileRunning { get; set; }

    public async Task<VerificationResult> RunAsync(string command, TimeSpan timeout, string? headSha, CancellationToken cancellationToken)
    {
        asked.Add((command, timeout, headSha));
        WhileRunning?.Invoke();
        if (OnceWhileRunning is { } competing)
        {
            OnceWhileRunning = null;
            await competing();
        }

        return new VerificationResult(command, TimesOut ? null : ExitCode, TimesOut, 1, $"exit {ExitCode}", clock.GetUtcNow(), headSha);
    }
}
