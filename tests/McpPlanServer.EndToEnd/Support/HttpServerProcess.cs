using System.Diagnostics;
using System.Text.RegularExpressions;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// A real <c>mcpplan serve --http</c> process on a free loopback port (port 0; the server prints the endpoint it got on
/// stderr), stopped when disposed. Tokens are issued by the person's CLI (<see cref="TestRepository.CliAsync"/>).
/// </summary>
public sealed partial class HttpServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder errors = new();

    private HttpServerProcess(Process process, Uri endpoint)
    {
        this.process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public static async Task<HttpServerProcess> StartAsync(TestRepository repository, params string[] extraArguments)
    {
        var start = new ProcessStartInfo(Executable.Path)
        {
            WorkingDirectory = repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["serve", "--http", "--listen", "127.0.0.1:0", "--repo", repository.Root, .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var started = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collected = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                started.TrySetException(new InvalidOperationException($"mcpplan serve --http exited: {collected}"));
                return;
            }

            lock (collected)
            {
                collected.AppendLine(line.Data);
            }

            if (EndpointLine().Match(line.Data) is { Success: true } match)
            {
                started.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var server = new HttpServerProcess(process, endpoint);
            process.ErrorDataReceived += (_, line) =>
            {
                lock (server.errors)
                {
                    server.errors.AppendLine(line.Data);
                }
            };
            return server;
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>Issues a token in the person's context and returns the secret the CLI printed once.</summary>
    public static async Task<string> IssueTokenAsync(TestRepository repository, string role, string name)
    {
        var created = await repository.CliAsync("token", "create", "--role", role, "--name", name);
        Assert.True(created.ExitCode == 0, created.ToString());
        return created.Output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        Stop(process);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@"serving MCP over Streamable HTTP at (http://\S+)")]
    private static partial Regex EndpointLine();
}
