using System.Diagnostics;
using System.Text;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Verification;

/// <summary>
/// Runs the person's verification command through the shell on a clean checkout of the handed-in commit (its tree
/// written out from git's objects into a temporary folder, removed afterwards), never on the working tree, with a
/// timeout that kills the whole process tree; keeps the last few kilobytes of its combined output for the review.
/// </summary>
public sealed class ShellVerificationRunner(string repositoryRoot, IRepositoryGateway? repository, TimeProvider clock) : IVerificationRunner
{
    public const int TailCharacters = 4000;

    public Task<VerificationResult> RunAsync(string command, TimeSpan timeout, string? headSha, CancellationToken cancellationToken) =>
        RunOnCommitAsync(command, timeout, headSha, null, cancellationToken);

    /// <summary>
    /// The same run with hooks into the checkout (issue 20, <see cref="AcceptanceRunner"/>): <paramref name="hooks"/> lays
    /// files over the checkout before the command, sees every output line, and reads the checkout before it is removed.
    /// </summary>
    public async Task<VerificationResult> RunOnCommitAsync(string command, TimeSpan timeout, string? headSha, CheckoutHooks? hooks, CancellationToken cancellationToken)
    {
        if (repository is null || headSha is null)
        {
            // No repository (or nothing committed): there is no committed tree, so the folder itself is what is checked.
            return await RunInAsync(repositoryRoot, command, timeout, headSha, hooks?.Line, cancellationToken);
        }

        var checkout = VerificationCheckout.Create(repositoryRoot);
        try
        {
            repository.ExportTree(headSha, checkout);
            hooks?.Prepare(checkout);
            var result = await RunInAsync(checkout, command, timeout, headSha, hooks?.Line, cancellationToken);
            hooks?.Inspect(checkout);
            return result;
        }
        finally
        {
            VerificationCheckout.Remove(checkout);
        }
    }

    private async Task<VerificationResult> RunInAsync(string folder, string command, TimeSpan timeout, string? headSha, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh",
            WorkingDirectory = folder,
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
                onLine?.Invoke(line);
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
            throw new PlanRefusedException(RefusalCodes.VerificationUnavailable, $"The verification command could not start ({error.Message}). The owner fixes verify.command in .claude/mcpplan.json.");
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
