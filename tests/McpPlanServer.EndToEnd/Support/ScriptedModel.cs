using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// A scripted stand-in for the Anthropic Messages API on 127.0.0.1, for driving the real Claude Code CLI through
/// <c>ANTHROPIC_BASE_URL</c>: the first request that offers the Bash tool is answered with one Bash tool call running
/// <paramref name="command"/> (streamed as server-sent events, as the CLI asks), every later request with a short
/// text that ends the turn. The results the CLI sends back for the tool call are kept for the test to read.
/// </summary>
public sealed class ScriptedModel : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _command;
    private readonly Task _serving;

    public ScriptedModel(string command)
    {
        _command = command;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    /// <summary>The text of every tool_result the CLI sent back (what the Bash command printed, or why it was refused).</summary>
    public ConcurrentQueue<string> ToolResults { get; } = new();

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
            catch (Exception error) when (error is HttpListenerException or IOException or System.Text.Json.JsonException)
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
        var response = context.Response;
        if (!context.Request.Url!.AbsolutePath.EndsWith("/v1/messages", StringComparison.Ordinal))
        {
            await WriteAsync(response, "application/json", """{"input_tokens":10}""");
            return;
        }

        var messages = body["messages"]?.ToJsonString() ?? "";
        foreach (var result in (body["messages"] as JsonArray ?? []).SelectMany(m => m?["content"] as JsonArray ?? []).Where(c => c?["type"]?.GetValue<string>() == "tool_result"))
        {
            var text = result!["content"] is JsonValue value ? value.GetValue<string>() : result["content"]?.ToJsonString() ?? "";
            if (!ToolResults.Contains(text))
            {
                ToolResults.Enqueue(text);
            }
        }

        var offersBash = body["tools"]?.ToJsonString().Contains("\"Bash\"", StringComparison.Ordinal) == true;
        var callTool = offersBash && !messages.Contains("tool_result", StringComparison.Ordinal);
        var block = callTool
            ? new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_scripted_1", ["name"] = "Bash", ["input"] = new JsonObject() }
            : new JsonObject { ["type"] = "text", ["text"] = "" };
        var delta = callTool
            ? new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = new JsonObject { ["command"] = _command, ["description"] = "Run the scripted command" }.ToJsonString() }
            : new JsonObject { ["type"] = "text_delta", ["text"] = "Done." };
        var stop = callTool ? "tool_use" : "end_turn";
        var model = body["model"]?.GetValue<string>() ?? "claude-scripted";
        var message = new JsonObject
        {
            ["id"] = "msg_scripted", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
            ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = new JsonObject { ["input_tokens"] = 10, ["output_tokens"] = 1 },
        };
        var events = new StringBuilder();
        void Event(string name, JsonObject data) => events.Append($"event: {name}\ndata: {data.ToJsonString()}\n\n");
        Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = message });
        Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = block });
        Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = delta });
        Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stop, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 5 },
        });
        Event("message_stop", new JsonObject { ["type"] = "message_stop" });
        await WriteAsync(response, "text/event-stream", events.ToString());
    }

    private static async Task WriteAsync(HttpListenerResponse response, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = 200;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
