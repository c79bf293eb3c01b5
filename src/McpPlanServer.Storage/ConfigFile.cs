using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// Reads and writes the person's config (<c>.claude/mcpplan.json</c>). A missing file means the documented defaults;
/// a malformed one is refused with the file, the place and the fix — the server never guesses at a setting.
/// </summary>
public static class ConfigFile
{
    public static PlanServerConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new PlanServerConfig();
        }

        PlanServerConfig? config;
        try
        {
            // The file names only what differs from the defaults. The source-generated reader sets every init-only
            // property it does not find to default(T) (plansRoot null, threshold 0, ...), so the file is laid over
            // the serialized defaults first and the merged whole is read.
            var file = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: ReadOptions);
            if (file is not JsonObject overrides)
            {
                throw new JsonException($"the file must hold one JSON object, not {file?.GetValueKind().ToString() ?? "null"}");
            }

            var merged = JsonSerializer.SerializeToNode(new PlanServerConfig(), ConfigJsonContext.Default.PlanServerConfig)!.AsObject();
            Overlay(merged, overrides);
            config = merged.Deserialize(ConfigJsonContext.Default.PlanServerConfig);
        }
        catch (JsonException error)
        {
            var where = error.LineNumber is { } line ? $" at line {line + 1}" : error.Path is { Length: > 1 } jsonPath ? $" at {jsonPath}" : string.Empty;
            throw Invalid(path, $"it is not valid{where} ({FirstSentence(error.Message)})");
        }

        config ??= new PlanServerConfig();
        Validate(config, path);
        return config;
    }

    public static void Save(string path, PlanServerConfig config)
    {
        Validate(config, path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(config, ConfigJsonContext.Default.PlanServerConfig));
    }

    private static void Validate(PlanServerConfig config, string path)
    {
        if (!RepoRelativePath.TryNormalize(config.PlansRoot, out _, out var rootError))
        {
            throw Invalid(path, $"plansRoot: {rootError}");
        }

        if (config.Threshold is < 0 or > 100)
        {
            throw Invalid(path, $"threshold is {config.Threshold}; use 0-100 (default 90)");
        }

        if (config.MaxIterations < 1)
        {
            throw Invalid(path, $"maxIterations is {config.MaxIterations}; use 1 or more (default 3)");
        }

        if (config.Rubric is null || config.Rubric.Count == 0 || config.Rubric.Any(category => category is null || string.IsNullOrWhiteSpace(category.Name) || category.Weight <= 0))
        {
            throw Invalid(path, "rubric needs at least one category, each with a name and a positive weight, e.g. [{\"name\": \"testing\", \"weight\": 25}]");
        }

        if (config.Rubric.Select(category => category.Name).Distinct(StringComparer.Ordinal).Count() != config.Rubric.Count)
        {
            throw Invalid(path, "rubric names a category twice; give each category once");
        }

        if (config.RequiredSections is null || config.RequiredSections.Any(string.IsNullOrWhiteSpace))
        {
            throw Invalid(path, "requiredSections must be a list of section headings such as \"Summary\"");
        }

        if (config.Verify is null || config.Verify.TimeoutSeconds is < 1 or > 7200)
        {
            throw Invalid(path, "verify.timeoutSeconds must be 1-7200 (default 600)");
        }

        if (config.MaxPlanBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw Invalid(path, $"maxPlanBytes is {config.MaxPlanBytes}; use 1024 to 16777216 (default 262144)");
        }
    }

    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Lays the file's values over the defaults; nested objects (verify) merge, everything else replaces.</summary>
    private static void Overlay(JsonObject target, JsonObject overrides)
    {
        foreach (var (name, value) in overrides.ToList())
        {
            if (value is JsonObject nested && target[name] is JsonObject existing)
            {
                Overlay(existing, nested);
                continue;
            }

            target[name] = value?.DeepClone();
        }
    }

    private static PlanRefusedException Invalid(string path, string problem) =>
        new("invalid_config", $"The config {path} is invalid: {problem}. Fix the file (the README lists every setting) and retry.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
