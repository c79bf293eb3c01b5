using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// The repository's .NET local tool manifest (<c>.config/dotnet-tools.json</c>, or <c>dotnet-tools.json</c> at the root):
/// the tools a teammate gets with <c>dotnet tool restore</c>, at the versions the repository pins.
/// </summary>
internal static class LocalToolManifest
{
    public static readonly string[] RelativePaths = [".config/dotnet-tools.json", "dotnet-tools.json"];

    /// <summary>The package id of the tool that provides <paramref name="command"/>, or null when no manifest lists it.</summary>
    public static string? FindCommand(string repoRoot, string command) => FindTool(repoRoot, command)?.PackageId;

    /// <summary>The manifest entry that provides <paramref name="command"/> (package, pinned version, manifest file), or null.</summary>
    public static ManifestTool? FindTool(string repoRoot, string command)
    {
        foreach (var relative in RelativePaths)
        {
            var path = Path.Join(repoRoot, relative);
            if (!File.Exists(path))
            {
                continue;
            }

            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException exception)
            {
                throw new InitRefusedException($"{relative} is not valid JSON ({exception.Message}); fix it (dotnet tool restore reads it too) and run mcpplan init again.");
            }

            if (root?["tools"] is not JsonObject tools)
            {
                continue;
            }

            foreach (var (packageId, tool) in tools)
            {
                if (tool?["commands"] is JsonArray commands && commands.Any(c => c is JsonValue value && value.TryGetValue<string>(out var name) && name == command))
                {
                    var version = tool["version"] is JsonValue pinned && pinned.TryGetValue<string>(out var text) ? text : null;
                    return new ManifestTool(packageId, version, relative);
                }
            }
        }

        return null;
    }
}
