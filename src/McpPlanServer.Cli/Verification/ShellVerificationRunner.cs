using System.Diagnostics;
using System.Text;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Verification;

/// <summary>
/// Runs the person's verification command through the shell in the repository root, with a timeout that kills the
/// whole process tree, and keeps the last few kilobytes of its combined output for the review.
/// </summary>
public sealed class ShellVerificationRunner(string repositoryRoot, TimeProvider clock) : IVerificationRunner
{
    public const int TailCharacters = 4000;

    public async Task<VerificationResult> RunAsync(string command, TimeSpan timeout, string? headSha, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh",
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
        start.ArgumentList.Add(command);

        var tail = new StringBuilder();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Append(line).Append('\n');
                if (tail.Length > TailCharacters * 2)
                {
                    tail.Remove(0, tail.Length - TailCharacters);
                }
            }
        }

        var started = clock.GetTimestamp();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, data) => Keep(data.Data);
        process.ErrorDataReceived += (_, data) => Keep(data.Data);
        try
        {
            process.Start();
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new PlanRefusedException("verification_unavailable", $"The verification command could not start ({error.Message}). The owner fixes verify.command in .claude/mcpplan.json.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = false;
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        // Let the asynchronous readers drain what the process wrote last.
        process.WaitForExit();
        string output;
        lock (tail)
        {
            output = tail.Length > TailCharacters ? tail.ToString(tail.Length - TailCharacters, TailCharacters) : tail.ToString();
        }

        return new VerificationResult(
            command,
            timedOut ? null : process.ExitCode,
            timedOut,
            (long)clock.GetElapsedTime(started).TotalMilliseconds,
            output.TrimEnd(),
            clock.GetUtcNow(),
            headSha);
    }
}
