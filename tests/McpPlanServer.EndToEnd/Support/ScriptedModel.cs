using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// A scripted stand-in for a model API on 127.0.0.1, for driving a real coding CLI (Claude Code through
/// <c>ANTHROPIC_BASE_URL</c>, Gemini CLI through <c>GOOGLE_GEMINI_BASE_URL</c>). One script, one adapter per wire format
/// (<see cref="AnthropicWire"/>, <see cref="GeminiWire"/>): the model is stateless, as the real one is, and reads its
/// place in the script from the conversation the client sends: with N tool results so far it makes the script's call
/// N+1 (when the client offers that tool), and after the last one it ends the turn with text. Requests that offer no
/// tools (titles, summaries, checks the CLI makes on the side) get the closing text. The results the client sent back
/// are kept for the test to read.
/// </summary>
public sealed class ScriptedModel : IDisposable
{
    private static readonly IModelWire[] Wires = [new AnthropicWire(), new GeminiWire()];

    private readonly HttpListener _listener = new();
    private readonly IReadOnlyList<ScriptedToolCall> _script;
    private readonly string _closingText;
    private readonly string? _waitTool;
    private readonly Task _serving;
    private readonly Lock _gate = new();
    private List<ScriptedToolResult> _results = [];
    private readonly List<string> _unoffered = [];

    /// <summary>A one-call script for Claude Code: its Bash tool runs <paramref name="command"/>.</summary>
    public ScriptedModel(string command)
        : this([new ScriptedToolCall("Bash", new JsonObject { ["command"] = command, ["description"] = "Run the scripted command" })])
    {
    }

    /// <param name="script">The tool calls, in order.</param>
    /// <param name="closingText">The text that ends the turn after the last call.</param>
    /// <param name="waitTool">A tool the client offers while its MCP servers still connect (Claude Code's
    /// <c>WaitForMcpServers</c>): called, and not counted as a step, while a step's tool is not offered yet.</param>
    public ScriptedModel(IReadOnlyList<ScriptedToolCall> script, string closingText = "Done.", string? waitTool = null)
    {
        _script = script;
        _closingText = closingText;
        _waitTool = waitTool;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Every tool result the client sent back, in the order of the script's calls.</summary>
    public IReadOnlyList<ScriptedToolResult> Results
    {
        get
        {
            lock (_gate)
            {
                return _results;
            }
        }
    }

    /// <summary>The text of every tool result (what a command printed, or why it was refused).</summary>
    public IReadOnlyList<string> ToolResults => [.. Results.Select(result => result.Text)];

    /// <summary>Script steps the client was asked for while it did not offer the tool, with the tools it did offer: why a script stopped early.</summary>
    public string Unoffered
    {
        get
        {
            lock (_gate)
            {
                return string.Join("\n", _unoffered.Distinct());
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception error) when (error is HttpListenerException or IOException or System.Text.Json.JsonException or InvalidOperationException)
            {
                // A request the script does not understand, or one the CLI gave up on: the next one is answered as usual.
                context.Response.Abort();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var requestText = await reader.ReadToEndAsync();
        var body = requestText.Length == 0 ? [] : JsonNode.Parse(requestText) as JsonObject ?? [];
        var path = context.Request.Url!.AbsolutePath;
        if (Wires.FirstOrDefault(candidate => candidate.Handles(path)) is not { } wire)
        {
            context.Response.StatusCode = 404;
            context.Response.Close();
            return;
        }

        var request = wire.Read(path, body);
        var (contentType, text) = wire.Write(path, body, request is null ? null : Next(request));
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private ModelReply Next(ModelRequest request)
    {
        lock (_gate)
        {
            var results = request.Results.Where(result => result.Tool != _waitTool).ToList();
            if (results.Count > _results.Count)
            {
                _results = results;
            }

            if (results.Count >= _script.Count || request.OfferedTools.Count == 0)
            {
                return ModelReply.EndTurn(_closingText);
            }

            var step = _script[results.Count];
            var tool = request.OfferedTools.FirstOrDefault(name => name == step.Tool)
                ?? request.OfferedTools.FirstOrDefault(name => name.EndsWith("_" + step.Tool, StringComparison.Ordinal));
            if (tool is null && _waitTool is not null && request.OfferedTools.Contains(_waitTool) && request.Results.Count(result => result.Tool == _waitTool) < 5)
            {
                return new ModelReply(_waitTool, new JsonObject(), "");
            }

            if (tool is null)
            {
                _unoffered.Add($"{step.Tool} (offered: {string.Join(", ", request.OfferedTools)})");
                return ModelReply.EndTurn(_closingText);
            }

            return new ModelReply(tool, step.Arguments, "");
        }
    }
}
