using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>Reads and writes the JSON files init merges into, with the reflection-free JsonNode API (AOT-safe).</summary>
internal static class JsonFile
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep "${MCPPLAN_ROLE:-observer}" and paths readable
    };

    /// <summary>The object in <paramref name="text"/>, or a new empty one when the file does not exist (null text).</summary>
    public static JsonObject ParseObject(string? text, string relativePath)
    {
        if (text is null)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new InitRefusedException($"{relativePath} does not hold a JSON object; fix it (or move it aside) and run mcpplan init again.");
        }
        catch (JsonException exception)
        {
            throw new InitRefusedException($"{relativePath} is not valid JSON ({exception.Message}); fix it (or move it aside) and run mcpplan init again.");
        }
    }

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless it already has that value; notes the change.</summary>
    public static void SetIfDifferent(JsonObject target, string name, JsonNode value, string label, List<string> changes)
    {
        if (JsonNode.DeepEquals(target[name], value))
        {
            return;
        }

        changes.Add(target.ContainsKey(name) ? $"sets {label}" : $"adds {label}");
        target[name] = value; // an existing key keeps its place
    }

    public static string Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The object at <paramref name="name"/>, created when absent; refuses when something else is there.</summary>
    public static JsonObject GetOrAddObject(JsonObject parent, string name, string where) => GetOrAddObject(parent, name, where, out _);

    /// <inheritdoc cref="GetOrAddObject(JsonObject, string, string)"/>
    public static JsonObject GetOrAddObject(JsonObject parent, string name, string where, out bool created)
    {
        created = false;
        switch (parent[name])
        {
            case JsonObject existing:
                return existing;
            case null when !parent.ContainsKey(name):
                var added = new JsonObject();
                parent[name] = added;
                created = true;
                return added;
            default:
                throw new InitRefusedException($"{where}: \"{name}\" should be an object; fix it by hand and run mcpplan init again.");
        }
    }
}
