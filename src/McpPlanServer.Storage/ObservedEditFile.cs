using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Storage;

/// <summary>
/// <c>observed-edits.jsonl</c> in the plans root: one JSON object per edit a client's hook saw after it happened
/// (<see cref="ObservedEdit"/>). The file is rewritten whole (atomically, under the store's lock) and keeps the latest
/// <see cref="MaxEntries"/>, so a client that fires on every keystroke cannot grow it without bound. A line that does not
/// parse (a hand edit) is skipped on reading rather than hiding the others.
/// </summary>
public static class ObservedEditFile
{
    public const string FileName = "observed-edits.jsonl";
    public const int MaxEntries = 500;

    public static IReadOnlyList<ObservedEdit> Parse(byte[] content)
    {
        var edits = new List<ObservedEdit>();
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject entry
                    && Text(entry, "path") is { } path && Text(entry, "client") is { } client && Text(entry, "role") is { } role
                    && DateTimeOffset.TryParse(Text(entry, "at"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at))
                {
                    edits.Add(new ObservedEdit(path, at, client, role));
                }
            }
            catch (JsonException)
            {
                // A line someone broke by hand: the rest still count.
            }
        }

        return edits;
    }

    public static byte[] Append(byte[] existing, ObservedEdit edit)
    {
        var kept = Parse(existing).TakeLast(MaxEntries - 1).Append(edit);
        var text = new StringBuilder();
        foreach (var entry in kept)
        {
            text.Append(new JsonObject
            {
                ["at"] = entry.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["path"] = entry.Path,
                ["client"] = entry.Client,
                ["role"] = entry.Role,
            }.ToJsonString()).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string? Text(JsonObject entry, string key) => entry[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
