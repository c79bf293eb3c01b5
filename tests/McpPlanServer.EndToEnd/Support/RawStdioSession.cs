using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// A real <c>mcpplan serve</c> process driven with raw JSON-RPC lines, for what a well-behaved client library never
/// sends (garbage, batches, oversized lines, broken params). Answers are read from stdout line by line.
/// </summary>
public sealed class RawStdioSession : IAsyncDisposable
{
    private readonly Process process;
    private readonly Stream input;
    private readonly StreamReader output;

    private RawStdioSession(Process process)
    {
        this.process = process;
        input = process.StandardInput.BaseStream;
        output = process.StandardOutput;
        _ = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts the server and completes the initialize handshake.</summary>
    public static async Task<RawStdioSession> StartAsync(TestRepository repository, string role)
    {
        var start = new ProcessStartInfo(Executable.Path)
        {
            WorkingDirectory = repository.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "serve", "--role", role, "--repo", repository.Root })
        {
            start.ArgumentList.Add(argument);
        }

        var session = new RawStdioSession(Process.Start(start)!);
        await session.SendAsync("""{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        var answer = await session.ReadAsync();
        if (answer["result"] is null)
        {
            throw new InvalidOperationException($"initialize failed: {answer.ToJsonString()}");
        }

        await session.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return session;
    }

    public async Task SendAsync(string line) => await SendAsync(Encoding.UTF8.GetBytes(line));

    public async Task SendAsync(byte[] line)
    {
        await input.WriteAsync(line);
        await input.WriteAsync("\n"u8.ToArray());
        await input.FlushAsync();
    }

    /// <summary>The next message the server writes (60 s at most).</summary>
    public async Task<JsonNode> ReadAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await output.ReadLineAsync(limit.Token) ?? throw new InvalidOperationException("The server closed stdout.");
        return JsonNode.Parse(line) ?? throw new InvalidOperationException($"not a message: {line}");
    }

    /// <summary>Sends a line and returns the answer whose id is <paramref name="id"/> (null: the answer with id null), skipping notifications.</summary>
    public async Task<JsonNode> AskAsync(string line, JsonNode? id)
    {
        await SendAsync(line);
        return await AnswerAsync(id);
    }

    public async Task<JsonNode> AnswerAsync(JsonNode? id)
    {
        while (true)
        {
            var message = await ReadAsync();
            if (message["method"] is not null)
            {
                continue;
            }

            if (JsonNode.DeepEquals(message["id"], id))
            {
                return message;
            }
        }
    }

    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        try
        {
            input.Close();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(limit.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
