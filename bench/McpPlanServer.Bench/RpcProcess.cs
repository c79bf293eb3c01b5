using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using McpPlanServer.Testing;

namespace McpPlanServer.Bench;

/// <summary>
/// A server process spoken to in raw JSON-RPC over stdio (one JSON object per line), so the figures contain the
/// server and the pipe, not a client library's overhead. The server's stdout and stderr are read on threads of their
/// own and requests are written synchronously: a redirected pipe has no asynchronous read on Unix, so an awaited read
/// would park a thread-pool worker per server (100 of them at 50 servers), and every answer would then wait for the
/// bench's starved pool before its time is taken.
/// </summary>
public sealed class RpcProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });
    private int nextId;

    private RpcProcess(Process process)
    {
        this.process = process;
        StartReader("stdout", () =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lines.Writer.TryWrite(line);
            }

            lines.Writer.TryComplete();
        });
        StartReader("stderr", () =>
        {
            var buffer = new char[4096];
            while (process.StandardError.Read(buffer, 0, buffer.Length) > 0)
            {
                // Drained and dropped: the servers' phases go to the lock log, not stderr.
            }
        });
    }

    private static void StartReader(string name, Action read) =>
        new Thread(() =>
        {
            try
            {
                read();
            }
            catch (IOException)
            {
                // The process ended.
            }
            catch (ObjectDisposedException)
            {
                // Disposed while reading.
            }
        })
        { IsBackground = true, Name = $"bench {name}" }.Start();

    public int ProcessId => process.Id;

    public static RpcProcess Start(string exe, string repository, string role)
    {
        return new RpcProcess(ProcessRunner.Start(exe, ["serve", "--role", role, "--repo", repository], repository));
    }

    public static JsonObject InitializeRequest(int id) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = "initialize",
        ["params"] = new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "mcpplan-bench", ["version"] = "1.0" },
        },
    };

    public async Task InitializeAsync()
    {
        await SendAsync(InitializeRequest(++nextId));
        await ReadResponseAsync(nextId);
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = "notifications/initialized" });
    }

    /// <summary>Sends a request and returns the raw response line.</summary>
    public async Task<string> RequestAsync(string method, JsonObject? parameters = null)
    {
        var id = ++nextId;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() });
        return await ReadResponseAsync(id);
    }

    public Task<string> CallToolAsync(string name, JsonObject arguments) =>
        RequestAsync("tools/call", new JsonObject { ["name"] = name, ["arguments"] = arguments });

    /// <summary>Writes one request line; synchronous (a line fits the pipe's buffer), so it needs no pool thread.</summary>
    public Task SendAsync(JsonObject message) => SendRawAsync(message.ToJsonString());

    public async Task<string> ReadResponseAsync(int id)
    {
        var marker = $"\"id\":{id},";
        var markerEnd = $"\"id\":{id}}}";
        while (await NextLineAsync() is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal) || line.Contains(markerEnd, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException("The server closed its output before answering.");
    }

    /// <summary>Peak resident set size (VmHWM) in MB, read from /proc while the process runs.</summary>
    public double PeakRssMegabytes() => StatusMegabytes("VmHWM:");

    /// <summary>Resident set size now (VmRSS) in MB.</summary>
    public double RssMegabytes() => StatusMegabytes("VmRSS:");

    /// <summary>Sends one raw line, as a misbehaving client would.</summary>
    public Task SendRawAsync(string line)
    {
        process.StandardInput.WriteLine(line);
        process.StandardInput.Flush();
        return Task.CompletedTask;
    }

    /// <summary>Sends one line of <paramref name="fillerBytes"/> 'x' between a prefix and a suffix, streamed in 1 MB pieces.</summary>
    public async Task SendLargeAsync(string prefix, int fillerBytes, string suffix)
    {
        var piece = new string('x', 1024 * 1024);
        await process.StandardInput.WriteAsync(prefix);
        for (var sent = 0; sent < fillerBytes; sent += piece.Length)
        {
            await process.StandardInput.WriteAsync(piece.AsMemory(0, Math.Min(piece.Length, fillerBytes - sent)));
        }

        await process.StandardInput.WriteLineAsync(suffix);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>The next line the server writes.</summary>
    public async Task<string> ReadLineAsync() =>
        await NextLineAsync() ?? throw new InvalidOperationException("The server closed its output.");

    private async Task<string?> NextLineAsync() =>
        await lines.Reader.WaitToReadAsync() && lines.Reader.TryRead(out var line) ? line : null;

    private double StatusMegabytes(string field)
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        var line = status.First(entry => entry.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(3000))
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }
}
