using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Looks at every line a client sends before the SDK does, and answers what the SDK would drop silently or answer with a
/// bare "An error occurred": a line that is not JSON (-32700, id null), a batch or a non-object (-32600), a duplicate key or
/// an unpaired UTF-16 surrogate (-32602; in a tool's arguments a refused tool result, as the tools refuse bad arguments),
/// <c>tools/call</c> without a name (-32602) or with arguments that are not an object (refused tool result),
/// <c>resources/subscribe</c> (not offered: -32601), a second <c>initialize</c> (-32600), and an oversized request.
/// Every answer says what is wrong and what to send instead. Notifications never get answers, as JSON-RPC requires.
/// </summary>
public sealed class RequestScreen(int lineLimit)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };
    private static readonly JsonDocumentOptions Lenient = new() { AllowDuplicateProperties = true, MaxDepth = 64 };

    // Methods whose params carry one string the SDK needs: without it the SDK answers only "An error occurred".
    private static readonly Dictionary<string, string> RequiredName = new(StringComparer.Ordinal)
    {
        ["tools/call"] = "name",
        ["prompts/get"] = "name",
        ["resources/read"] = "uri",
    };

    private bool initialized;

    /// <summary>Null to pass the line on to the SDK; otherwise the answer to send (empty for a bad notification: dropped, not answered).</summary>
    public byte[]? Screen(ReadOnlyMemory<byte> line)
    {
        if (!Utf8.IsValid(line.Span))
        {
            return Error(default, ParseError, "Parse error: the message is not valid UTF-8. Send UTF-8 JSON, one JSON-RPC message per line.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Strict);
        }
        catch (JsonException error)
        {
            return DuplicateKeyOrParseError(line, error);
        }

        using (document)
        {
            return Screen(document.RootElement, line.Span);
        }
    }

    /// <summary>
    /// The answer to a line longer than the limit, which was never read whole; its id and method are taken from its first
    /// or last bytes. A tool call gets a refused tool result (what a model sees and can act on), anything else an error.
    /// </summary>
    public byte[] Oversized(ReadLine line)
    {
        var id = TopLevel(line, "id"u8);
        var method = TopLevel(line, "method"u8);
        var text = $"Request too large: {line.Length:N0} bytes; the limit is {lineLimit:N0} bytes (derived from maxPlanBytes in .claude/mcpplan.json). " +
            "The request was not read and nothing was done. Send less: a plan's text is limited to maxPlanBytes.";
        return id.ValueKind is JsonValueKind.String or JsonValueKind.Number && method.ValueKind == JsonValueKind.String && method.ValueEquals("tools/call")
            ? ToolRefusal(id, "request_too_large", text)
            : Error(id, InvalidRequest, text);
    }

    /// <summary>
    /// Arguments of a named tool call are refused as a tool result (<c>isError</c>, as every other argument the tools
    /// refuse, so a model can correct itself: MCP 2025-11-25 asks for input errors as tool errors); anything else is -32602.
    /// </summary>
    private static byte[]? RefuseArguments(JsonElement message, bool hasId, JsonElement id, string problem)
    {
        var toolCall = hasId
            && message.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String && method.ValueEquals("tools/call")
            && message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String;
        return toolCall ? ToolRefusal(id, RefusalCodes.InvalidArgument, problem) : Reply(hasId, id, InvalidParams, "Invalid params: " + problem);
    }

    private static JsonElement TopLevel(ReadLine line, ReadOnlySpan<byte> key)
    {
        var found = FromPrefix(line.Content.Span, key);
        return found.ValueKind == JsonValueKind.Undefined ? FromTail(line.Tail.Span, key) : found;
    }

    private byte[]? Screen(JsonElement message, ReadOnlySpan<byte> raw)
    {
        if (message.ValueKind == JsonValueKind.Array)
        {
            return Error(default, InvalidRequest, "Invalid request: JSON-RPC batches are not supported (MCP removed batching in 2025-06-18). Send each message on its own line.");
        }

        if (message.ValueKind != JsonValueKind.Object)
        {
            return Error(default, InvalidRequest, $"Invalid request: a JSON-RPC message is a JSON object with \"jsonrpc\":\"2.0\"; got {Describe(message.ValueKind)}.");
        }

        var hasId = message.TryGetProperty("id", out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return Error(default, InvalidRequest, $"Invalid request: \"id\" must be a string or a number; got {Describe(id.ValueKind)}.");
        }

        if (!message.TryGetProperty("method", out var methodElement))
        {
            // A response to a request of the server (sampling, elicitation) has no method: the SDK matches it.
            return message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _)
                ? null
                : Reply(hasId, id, InvalidRequest, "Invalid request: the message has no \"method\". Send {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"} and the like.");
        }

        if (methodElement.ValueKind != JsonValueKind.String)
        {
            return Reply(hasId, id, InvalidRequest, $"Invalid request: \"method\" must be a string; got {Describe(methodElement.ValueKind)}.");
        }

        if (MayHoldSurrogateEscape(raw) && FirstUnpairedSurrogate(message, "$") is { } where)
        {
            return RefuseArguments(message, hasId, id,
                $"the string at {where} holds an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF escape without its partner). Send valid Unicode text.");
        }

        var method = methodElement.GetString()!;
        var hasParams = message.TryGetProperty("params", out var parameters) && parameters.ValueKind != JsonValueKind.Null;
        if (hasParams && parameters.ValueKind != JsonValueKind.Object)
        {
            return Reply(hasId, id, InvalidParams, $"Invalid params: \"params\" of {method} must be a JSON object; got {Describe(parameters.ValueKind)}.");
        }

        switch (method)
        {
            case "initialize" when hasId:
                if (initialized)
                {
                    return Reply(hasId, id, InvalidRequest,
                        "Invalid request: this session is already initialized; initialize is sent once, as the first request. Start a new server process for a new session.");
                }

                initialized = true;
                return null;
            case "resources/subscribe" or "resources/unsubscribe":
                return Reply(hasId, id, MethodNotFound,
                    $"Method not found: {method} is not offered (this server declares resources.subscribe = false). Listen for notifications/resources/list_changed, sent when plans change, and read the resource again.");
        }

        if (RequiredName.TryGetValue(method, out var required))
        {
            if (!hasParams || !parameters.TryGetProperty(required, out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
            {
                return Reply(hasId, id, InvalidParams,
                    $"Invalid params: {method} needs params.{required}, a non-empty string{(method == "tools/call" ? " naming a tool from tools/list" : string.Empty)}.");
            }

            if (method == "tools/call" && parameters.TryGetProperty("arguments", out var arguments) && arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return RefuseArguments(message, hasId, id,
                    $"params.arguments of tools/call must be a JSON object of argument names to values (as the tool's inputSchema says); got {Describe(arguments.ValueKind)}.");
            }
        }

        return null;
    }

    private static byte[] DuplicateKeyOrParseError(ReadOnlyMemory<byte> line, JsonException strictError)
    {
        try
        {
            using var lenient = JsonDocument.Parse(line, Lenient);
            var message = lenient.RootElement;
            var hasId = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number;
            return RefuseArguments(message, hasId, hasId ? message.GetProperty("id") : default,
                $"a key appears twice in one object ({strictError.Message}). Send each key once; which value would count is ambiguous, so the message is refused.")
                ?? [];
        }
        catch (JsonException)
        {
            return Error(default, ParseError, $"Parse error: the line is not valid JSON ({strictError.Message}). Send one JSON-RPC message per line.");
        }
    }

    /// <summary>Only a line with a <c>\uD8xx</c>-<c>\uDFxx</c> escape can carry an unpaired surrogate (valid UTF-8 cannot), so most lines skip the walk.</summary>
    private static bool MayHoldSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        var rest = raw;
        while (rest.IndexOf("\\u"u8) is var at and >= 0)
        {
            rest = rest[(at + 2)..];
            if (rest.Length >= 2 && (rest[0] | 0x20) == 'd' && (rest[1] | 0x20) is '8' or '9' or (>= 'a' and <= 'f'))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstUnpairedSurrogate(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return path;
                }

            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"a key of {path}";
                    }

                    if (FirstUnpairedSurrogate(property.Value, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstUnpairedSurrogate(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>A top-level member of a message of which only the first bytes are known, when it comes before the large part.</summary>
    private static JsonElement FromPrefix(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key)
    {
        var reader = new Utf8JsonReader(prefix, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKey = reader.ValueTextEquals(key);
                if (!reader.Read())
                {
                    return default;
                }

                if (isKey && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    var valueReader = reader;
                    return JsonElement.ParseValue(ref valueReader);
                }

                if (!reader.TrySkip())
                {
                    return default;
                }
            }
        }
        catch (JsonException)
        {
        }

        return default;
    }

    /// <summary>
    /// A top-level member of a message of which only the last bytes are known (clients such as the .NET SDK write "id"
    /// after "params"): the text from the last such key to the end must close the object by itself, which a key nested
    /// inside params cannot do.
    /// </summary>
    private static JsonElement FromTail(ReadOnlySpan<byte> tail, ReadOnlySpan<byte> key)
    {
        byte[] quoted = [(byte)'"', .. key, (byte)'"'];
        var at = tail.LastIndexOf(quoted);
        if (at < 0)
        {
            return default;
        }

        try
        {
            byte[] remainder = [(byte)'{', .. tail[at..]];
            using var rest = JsonDocument.Parse(remainder);
            return rest.RootElement.TryGetProperty(key, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.Clone() : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static byte[]? Reply(bool hasId, JsonElement id, int code, string message) =>
        hasId ? Error(id, code, message) : [];

    /// <summary>A tools/call answered with a refused tool result, in the form every tool of this server refuses with.</summary>
    private static byte[] ToolRefusal(JsonElement id, string code, string problem)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Encoding.UTF8.GetMaxByteCount(problem.Length));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WriteStartObject("result");
            writer.WriteStartArray("content");
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("text", $"Refused ({code}): {problem}");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteBoolean("isError", true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Error(JsonElement id, int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Encoding.UTF8.GetMaxByteCount(message.Length));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            if (id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                id.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
