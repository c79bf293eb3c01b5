using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// The sandbox layer of the pins (issue 20). After the person's decisions, the implementer's settings file
/// (<c>.claude/mcpplan/implementer.settings.json</c>, which init wrote and which no agent session may write: the hook
/// and every session's sandbox deny <c>.claude/mcpplan</c>) lists the acceptance files pinned by active plans in
/// <c>sandbox.filesystem.denyWrite</c>, so no Bash command of an implementer session started with it can write them,
/// whatever program it runs. The pins it added are remembered beside it (<c>acceptance-pins.json</c>), so a pin is removed
/// when its plan leaves Active and the person's own entries are never touched. Claude Code reads the file when a session
/// starts: a session running during the approval keeps the hook and commit_step layers until it is restarted.
/// </summary>
internal static class AcceptanceSandbox
{
    public const string SettingsFile = ".claude/mcpplan/implementer.settings.json";

    public const string PinsFile = ".claude/mcpplan/acceptance-pins.json";

    /// <summary>Brings the deny list in line with the active pins; returns a line for the person, or null when there is no settings file.</summary>
    public static string? Sync(string repositoryRoot, IPlanStore store)
    {
        var settingsPath = Path.Join(repositoryRoot, SettingsFile);
        var info = new FileInfo(settingsPath);
        if (!info.Exists || info.LinkTarget is not null || new DirectoryInfo(Path.GetDirectoryName(settingsPath)!).LinkTarget is not null)
        {
            return null;
        }

        var pins = ActivePins.Read(store).Select(path => "../../" + path).ToList();
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(settingsPath)) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException error)
        {
            return $"sandbox: {SettingsFile} cannot be read ({error.Message}); the pinned tests are not in its deny list. Fix the file (mcpplan init) and repeat the decision.";
        }

        var sandbox = root["sandbox"] as JsonObject ?? new JsonObject();
        root["sandbox"] = sandbox;
        var filesystem = sandbox["filesystem"] as JsonObject ?? new JsonObject();
        sandbox["filesystem"] = filesystem;
        var deny = filesystem["denyWrite"] as JsonArray ?? new JsonArray();
        filesystem["denyWrite"] = deny;

        var earlier = ReadPins(Path.Join(repositoryRoot, PinsFile));
        foreach (var stale in deny.Where(entry => entry is JsonValue value && value.TryGetValue<string>(out var text) && earlier.Contains(text) && !pins.Contains(text)).ToList())
        {
            deny.Remove(stale);
        }

        foreach (var pin in pins.Where(pin => !deny.Any(entry => entry is JsonValue value && value.TryGetValue<string>(out var text) && text == pin)))
        {
            deny.Add((JsonNode)pin);
        }

        var options = new JsonSerializerOptions { WriteIndented = true };
        AtomicFile.Write(settingsPath, Encoding.UTF8.GetBytes(root.ToJsonString(options) + "\n"));
        AtomicFile.Write(Path.Join(repositoryRoot, PinsFile), Encoding.UTF8.GetBytes(new JsonArray([.. pins.Select(pin => (JsonNode?)pin)]).ToJsonString(options) + "\n"));
        return pins.Count == 0
            ? null
            : $"sandbox: {SettingsFile} denies writes to {pins.Count} pinned acceptance test file(s) for implementer sessions started from now on.";
    }

    private static HashSet<string> ReadPins(string path)
    {
        try
        {
            return File.Exists(path) && new FileInfo(path).LinkTarget is null && JsonNode.Parse(File.ReadAllText(path)) is JsonArray array
                ? [.. array.Select(node => node?.GetValue<string>()).OfType<string>()]
                : [];
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or FormatException)
        {
            return [];
        }
    }
}
