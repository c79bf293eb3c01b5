using System.Text;
using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Verification;

/// <summary>
/// Runs a plan's acceptance command the way verification runs (a clean checkout of the commit, a timeout that kills
/// the process tree, the output tail kept), with the pinned test files written over the checkout first, so the copy on
/// the branch — edited or not — is never what runs. Counts come from a JUnit XML or TRX file the command wrote, else
/// from the runner's closing lines (<see cref="TestOutputCounter"/>).
/// </summary>
public sealed class AcceptanceRunner(ShellVerificationRunner shell) : IAcceptanceRunner
{
    private const int MaxReportFiles = 200;
    private const long MaxReportBytes = 20 * 1024 * 1024;

    public async Task<AcceptanceResult> RunAsync(string command, TimeSpan timeout, string commitSha, IReadOnlyList<AcceptanceFile> pinned, CancellationToken cancellationToken)
    {
        var counter = new TestOutputCounter();
        TestCounts? reported = null;
        var started = DateTime.MinValue;
        var hooks = new CheckoutHooks(
            folder =>
            {
                Overlay(folder, pinned);
                started = DateTime.UtcNow.AddSeconds(-1);
            },
            counter.Observe,
            folder => reported = ReadReports(folder, started));
        var run = await shell.RunOnCommitAsync(command, timeout, commitSha, hooks, cancellationToken);
        return new AcceptanceResult(command, commitSha, run.ExitCode, run.TimedOut, run.DurationMs, run.OutputTail, run.At, reported ?? counter.Counts);
    }

    /// <summary>
    /// Writes the pinned files into the checkout. The checkout holds the committed tree, which the implementer controls:
    /// a link on the way (a folder or the file itself) is removed and replaced by a real folder or file, so the write never
    /// leaves the checkout.
    /// </summary>
    public static void Overlay(string checkout, IReadOnlyList<AcceptanceFile> pinned)
    {
        foreach (var file in pinned)
        {
            var current = checkout;
            var parts = file.Path.Split('/');
            for (var i = 0; i < parts.Length; i++)
            {
                current = Path.Combine(current, parts[i]);
                var info = new FileInfo(current);
                if (info.LinkTarget is not null || (i < parts.Length - 1 && info.Exists))
                {
                    // A link (or a file where a folder must be) is the committed tree's, never followed: replace it.
                    File.Delete(current);
                }

                if (i < parts.Length - 1)
                {
                    Directory.CreateDirectory(current);
                }
            }

            var temporary = current + ".mcpplan-pinned";
            File.WriteAllBytes(temporary, Encoding.UTF8.GetBytes(file.Content));
            File.Move(temporary, current, overwrite: true);
        }
    }

    /// <summary>JUnit XML and TRX files the command wrote (newer than its start), links and dependency folders skipped.</summary>
    public static TestCounts? ReadReports(string checkout, DateTime startedUtc)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true, MaxRecursionDepth = 10 };
        TestCounts? sum = null;
        var read = 0;
        foreach (var path in Directory.EnumerateFiles(checkout, "*", options))
        {
            if (!(path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".trx", StringComparison.OrdinalIgnoreCase))
                || path.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var info = new FileInfo(path);
            if (info.LastWriteTimeUtc < startedUtc || info.Length > MaxReportBytes || info.LinkTarget is not null || ++read > MaxReportFiles)
            {
                continue;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (TestReportReader.Read(stream) is { } counts)
            {
                sum = sum is null ? counts : sum.Add(counts) with { Source = sum.Source == counts.Source ? sum.Source : $"{sum.Source} + {counts.Source}" };
            }
        }

        return sum;
    }
}
