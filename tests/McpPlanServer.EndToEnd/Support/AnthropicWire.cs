using System.Text;
using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// The Anthropic Messages API as Claude Code calls it (<c>ANTHROPIC_BASE_URL</c>): <c>POST /v1/messages</c> with the
/// whole conversation, answered as server-sent events (message_start, one content block, message_delta with the stop
/// reason, message_stop). Tool results come back as user <c>tool_result</c> blocks naming the <c>tool_use</c> id.
/// </summary>
public sealed class AnthropicWire : IModelWire
{
    public bool Handles(string path) => path.StartsWith("/v1/", StringComparison.Ordinal);

    public ModelRequest? Read(string path, JsonObject body)
    {
        if (!path.EndsWith("/v1/messages", StringComparison.Ordinal))
        {
            return null;
        }

        var offered = (body["tools"] as JsonArray ?? []).Select(tool => tool?["name"]?.GetValue<string>()).OfType<string>().ToList();
        var blocks = (body["messages"] as JsonArray ?? []).SelectMany(message => message?["content"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var names = blocks.Where(block => Type(block) == "tool_use").ToDictionary(block => block["id"]!.GetValue<string>(), block => block["name"]!.GetValue<string>());
        var results = blocks.Where(block => Type(block) == "tool_result").Select(block => new ScriptedToolResult(
            names.GetValueOrDefault(block["tool_use_id"]?.GetValue<string>() ?? "", "?"),
            block["content"] switch
            {
                JsonValue text => text.GetValue<string>(),
                JsonArray parts => string.Join("\n", parts.Select(part => part?["text"]?.GetValue<string>()).OfType<string>()),
                _ => "",
            },
            block["is_error"]?.GetValue<bool>() == true)).ToList();
        return new ModelRequest(offered, results);
    }

    public (string ContentType, string Body) Write(string path, JsonObject body, ModelReply? reply)
    {
        if (reply is null)
        {
            return ("application/json", """{"input_tokens":10}""");
        }

        var callTool = reply.Tool is not null;
        var block = callTool
            ? new JsonObject { ["type"] = "tool_use", ["id"] = $"toolu_scripted_{Guid.NewGuid():N}", ["name"] = reply.Tool, ["input"] = new JsonObject() }
            : new JsonObject { ["type"] = "text", ["text"] = "" };
        var delta = callTool
            ? new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = reply.Arguments!.ToJsonString() }
            : new JsonObject { ["type"] = "text_delta", ["text"] = reply.Text };
        var message = new JsonObject
        {
            ["id"] = "msg_scripted", ["type"] = "message", ["role"] = "assistant", ["model"] = body["model"]?.GetValue<string>() ?? "claude-scripted",
            ["content"] = new JsonArray(), ["stop_reason"] = null, ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 10, ["output_tokens"] = 1 },
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
            ["delta"] = new JsonObject { ["stop_reason"] = callTool ? "tool_use" : "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = 5 },
        });
        Event("message_stop", new JsonObject { ["type"] = "message_stop" });
        return ("text/event-stream", events.ToString());
    }

    private static string? Type(JsonObject block) => block["type"]?.GetValue<string>();
}
