using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// The Gemini API as Gemini CLI calls it (<c>GOOGLE_GEMINI_BASE_URL</c>, through @google/genai):
/// <c>POST /v1beta/models/MODEL:streamGenerateContent?alt=sse</c> with the whole conversation in <c>contents</c> and the
/// tools in <c>tools[].functionDeclarations</c>, answered as server-sent events of one <c>GenerateContentResponse</c>
/// each (<c>data: {…}</c> and a blank line); <c>:generateContent</c> is the same answer as one JSON object and
/// <c>:countTokens</c> a count. A tool call is a model part <c>functionCall {name, args}</c>; the CLI sends each result
/// back as a user part <c>functionResponse {name, response}</c>, whose <c>response.error</c> marks a failed call.
/// </summary>
public sealed class GeminiWire : IModelWire
{
    public bool Handles(string path) => path.Contains("/models/", StringComparison.Ordinal);

    public ModelRequest? Read(string path, JsonObject body)
    {
        if (!path.EndsWith(":streamGenerateContent", StringComparison.Ordinal) && !path.EndsWith(":generateContent", StringComparison.Ordinal))
        {
            return null;
        }

        var offered = (body["tools"] as JsonArray ?? [])
            .SelectMany(tool => tool?["functionDeclarations"] as JsonArray ?? [])
            .Select(declaration => declaration?["name"]?.GetValue<string>()).OfType<string>().ToList();
        var results = (body["contents"] as JsonArray ?? [])
            .SelectMany(content => content?["parts"] as JsonArray ?? [])
            .Select(part => part?["functionResponse"]).OfType<JsonObject>()
            .Select(response => new ScriptedToolResult(
                response["name"]?.GetValue<string>() ?? "?",
                response["response"]?.ToJsonString() ?? "",
                response["response"]?["error"] is not null))
            .ToList();
        return new ModelRequest(offered, results);
    }

    public (string ContentType, string Body) Write(string path, JsonObject body, ModelReply? reply)
    {
        if (reply is null)
        {
            return ("application/json", """{"totalTokens":10}""");
        }

        JsonObject part = reply.Tool is not null
            ? new JsonObject { ["functionCall"] = new JsonObject { ["name"] = reply.Tool, ["args"] = reply.Arguments!.DeepClone() } }
            : new JsonObject { ["text"] = reply.Text };
        var response = new JsonObject
        {
            ["candidates"] = new JsonArray(new JsonObject
            {
                ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(part) },
                ["finishReason"] = "STOP",
                ["index"] = 0,
            }),
            ["usageMetadata"] = new JsonObject { ["promptTokenCount"] = 10, ["candidatesTokenCount"] = 5, ["totalTokenCount"] = 15 },
            ["modelVersion"] = "gemini-scripted",
        };
        return path.EndsWith(":streamGenerateContent", StringComparison.Ordinal)
            ? ("text/event-stream", $"data: {response.ToJsonString()}\r\n\r\n")
            : ("application/json", response.ToJsonString());
    }
}
