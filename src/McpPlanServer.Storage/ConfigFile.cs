using System.Text.Json;
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

        PlanServerConfig config;
        try
        {
            config = (JsonSerializer.Deserialize(File.ReadAllBytes(path), ConfigJsonContext.Default.ConfigDocument) ?? new ConfigDocument()).ToConfig();
        }
        catch (JsonException error)
        {
            var where = error.LineNumber is { } line ? $" (line {line + 1})" : string.Empty;
            var setting = error.Path is { Length: > 2 } jsonPath ? jsonPath[2..] : null;
            var wrongType = error.Message.Contains("could not be converted", StringComparison.Ordinal);
            throw Invalid(path, wrongType && error.Path == "$"
                ? $"it must hold a JSON object such as {{\"plansRoot\": \".claude/plans\"}}{where}"
                : wrongType && setting is not null && Expected.TryGetValue(setting, out var expected)
                ? $"{setting} must be {expected}{where}"
                : error.Message.Contains("could not be mapped", StringComparison.Ordinal)
                    ? $"{FirstSentence(error.Message)}{where}; check the spelling against the README's list of settings"
                    : $"it is not valid JSON{where}: {FirstSentence(error.Message)}");
        }

        Validate(config, path);
        return config;
    }

    public static void Save(string path, PlanServerConfig config)
    {
        Validate(config, path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(ConfigDocument.From(config), ConfigJsonContext.Default.ConfigDocument));
    }

    private static void Validate(PlanServerConfig config, string path)
    {
        if (!RepoRelativePath.TryNormalize(config.PlansRoot, out _, out var rootError))
        {
            throw Invalid(path, $"plansRoot must be a folder inside the repository, such as \".claude/plans\" ({rootError.TrimEnd('.')})");
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

        if (config.Acceptance is null || config.Acceptance.TimeoutSeconds is < 1 or > 7200)
        {
            throw Invalid(path, "acceptance.timeoutSeconds must be 1-7200 (default 600)");
        }

        if (config.MaxPlanBytes is < 1024 or > 16 * 1024 * 1024)
        {
            throw Invalid(path, $"maxPlanBytes is {config.MaxPlanBytes}; use 1024 to 16777216 (default 262144)");
        }

        if (config.ClaimIdleMinutes is < 1 or > 24 * 60)
        {
            throw Invalid(path, $"claimIdleMinutes is {config.ClaimIdleMinutes}; use 1 to 1440 (default 15)");
        }

        if (StoreSettingsCheck.Problem(config.Store) is { } storeProblem)
        {
            throw Invalid(path, storeProblem);
        }

        if (config.PushRemote is { } remote && (remote.Length is 0 or > 100 || remote.StartsWith('-') || !remote.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.')))
        {
            throw Invalid(path, $"pushRemote '{remote}' is not a remote name; give the name of a git remote such as \"origin\"");
        }
    }

    /// <summary>What each setting must hold, for messages about a value of the wrong type.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["plansRoot"] = "a folder path string such as \".claude/plans\"",
        ["requiredSections"] = "a list of section headings such as [\"Summary\"]",
        ["drift"] = "\"warn\" or \"block\"",
        ["verify"] = "an object such as {\"command\": \"dotnet test\"}",
        ["verify.command"] = "a command line string",
        ["verify.timeoutSeconds"] = "a whole number of seconds",
        ["verify.refuseHandInOnFailure"] = "true or false",
        ["acceptance"] = "an object such as {\"refuseHandInOnFailure\": true}",
        ["acceptance.timeoutSeconds"] = "a whole number of seconds",
        ["acceptance.refuseHandInOnFailure"] = "true or false",
        ["rubric"] = "a list such as [{\"name\": \"testing\", \"weight\": 25}]",
        ["threshold"] = "a whole number 0-100",
        ["maxIterations"] = "a whole number of 1 or more",
        ["personChannelFromRisk"] = "\"Low\", \"Medium\" or \"High\"",
        ["elicitApproval"] = "true or false",
        ["allowGitCommitInBash"] = "true or false",
        ["maxPlanBytes"] = "a whole number of bytes",
        ["claimIdleMinutes"] = "a whole number of minutes",
        ["parallel"] = "\"warn\" or \"strict\"",
        ["planBranches"] = "true or false",
        ["store"] = "an object such as {\"kind\": \"postgres\", \"connection\": \"Host=db;Database=plans;Username=mcpplan\", \"repository\": \"my-repo\"}",
        ["store.kind"] = "\"file\" or \"postgres\"",
        ["store.connection"] = "a connection string without a password",
        ["store.repository"] = "a repository id such as \"my-repo\"",
        ["pushRemote"] = "the name of a git remote such as \"origin\"",
    };

    private static PlanRefusedException Invalid(string path, string problem) =>
        new(RefusalCodes.InvalidConfig, $"The config {path} is invalid: {problem.TrimEnd('.')}. Fix the file (the README lists every setting) and retry.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
