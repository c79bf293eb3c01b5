using System.Diagnostics;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// Runs the owner's CLI as a person's terminal would: a scrubbed environment (only what a login shell has, no agent
/// client's markers) and, on Linux, a process outside the caller's ancestry. Used by the demo (which may itself be
/// started from an agent's shell, on its own scratch repository) and by the black-box tests (whose runner may run
/// inside an agent client), where the owner's decisions would rightly be refused for an ordinary child. <c>setsid -f</c> forks and the forking parent exits, so the shell that starts mcpplan is
/// re-parented to init; it waits for a line on stdin, sent only after that parent is gone, so no check can race it.
/// What this does, an agent can do too: the ancestry check is a convenience layer (docs/security.md).
/// </summary>
public static class PersonProcess
{
    /// <summary>The variables a person's fresh terminal has that the CLI needs; everything else is dropped.</summary>
    private static readonly string[] Kept = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR", "DOTNET_ROOT", "DOTNET_CLI_HOME", "NUGET_PACKAGES"];

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var detached = OperatingSystem.IsLinux() && File.Exists("/usr/bin/setsid");
        var statusFile = Path.Combine(Path.GetTempPath(), "mcpplan-person-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo(detached ? "/usr/bin/setsid" : fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (detached)
        {
            // sh's $0 is the status file; "$@" is the command. `read` holds it until setsid's parent has exited.
            foreach (var argument in new[] { "-f", "/bin/sh", "-c", "read _ignored; \"$@\"; echo $? > \"$0\"", statusFile, fileName })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in Kept)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is not null)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
            if (detached)
            {
                await process.StandardInput.WriteLineAsync();
            }

            process.StandardInput.Close();
            var text = await output.WaitAsync(limit.Token);
            var errorText = await error.WaitAsync(limit.Token);
            if (!detached)
            {
                return (process.ExitCode, text, errorText);
            }

            var status = File.Exists(statusFile) ? (await File.ReadAllTextAsync(statusFile, limit.Token)).Trim() : null;
            return (int.TryParse(status, out var code) ? code : -1, text, errorText);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} (in a person's context) did not finish in time.");
        }
        finally
        {
            File.Delete(statusFile);
        }
    }
}
