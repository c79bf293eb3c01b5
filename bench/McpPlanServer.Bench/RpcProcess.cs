using System.Diagnostics;
using System.Text.Json.Nodes;
using McpPlanServer.Testing;

namespace McpPlanServer.Bench;

/// <summary>
/// A server process spoken to in raw JSON-RPC over stdio (one JSON object per line), so the figures contain the
/// server and the pipe, not a client library's overhead.
/// </summary>
public sealed class RpcProcess : IAsyncDisposable
{
    private readonly Process process;
    private int nextId;

    private RpcProcess(Process process) => this.process = process;

    public int ProcessId => process.Id;

    public static RpcProcess Start(string exe, string repository, string role)
    {
        var process = ProcessRunner.Start(exe, ["serve", "--role", role, "--repo", repository], repository);
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new RpcProcess(process);
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

    public async Task SendAsync(JsonObject message)
    {
        await process.StandardInput.WriteLineAsync(message.ToJsonString());
        await process.StandardInput.FlushAsync();
    }

    public async Task<string> ReadResponseAsync(int id)
    {
        var marker = $"\"id\":{id},";
        var markerEnd = $"\"id\":{id}}}";
        while (await process.StandardOutput.ReadLineAsync() is { } line)
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
    public async Task SendRawAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
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
        await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The server closed its output.");

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
