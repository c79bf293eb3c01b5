using System.Text.Json;

namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Claude Code hooks that can answer a server's elicitation form without the person (<c>Elicitation</c> answers it,
/// <c>ElicitationResult</c> rewrites the answer), looked for in every settings scope Claude Code reads: managed,
/// user, project and local. Where one exists, or a settings file cannot be read, the approval form is not offered.
/// </summary>
public static class FormAnsweringHooks
{
    public static IReadOnlyList<string> Events { get; } = ["Elicitation", "ElicitationResult"];

    /// <summary>The settings files of every scope, for this machine and repository.</summary>
    public static IReadOnlyList<string> SettingsFiles(string? repositoryRoot, string? home, string? claudeConfigDir)
    {
        var files = new List<string>();
        if (OperatingSystem.IsWindows())
        {
            files.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "ClaudeCode", "managed-settings.json"));
        }
        else if (OperatingSystem.IsMacOS())
        {
            files.Add("/Library/Application Support/ClaudeCode/managed-settings.json");
        }
        else
        {
            files.Add("/etc/claude-code/managed-settings.json");
        }

        var userFolder = !string.IsNullOrEmpty(claudeConfigDir) ? claudeConfigDir : string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".claude");
        if (userFolder is not null)
        {
            files.Add(Path.Combine(userFolder, "settings.json"));
            files.Add(Path.Combine(userFolder, "settings.local.json"));
        }

        if (repositoryRoot is not null)
        {
            files.Add(Path.Combine(repositoryRoot, ".claude", "settings.json"));
            files.Add(Path.Combine(repositoryRoot, ".claude", "settings.local.json"));
        }

        return files;
    }

    /// <summary>One line per settings file that has a form-answering hook or cannot be read; empty when the form is safe to offer.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> settingsFiles)
    {
        var findings = new List<string>();
        foreach (var file in settingsFiles)
        {
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("hooks", out var hooks)
                    && hooks.ValueKind == JsonValueKind.Object)
                {
                    findings.AddRange(Events.Where(name => hooks.TryGetProperty(name, out _)).Select(name => $"{file} has a {name} hook"));
                }
            }
            catch (Exception error) when (error is JsonException or IOException or UnauthorizedAccessException)
            {
                // A file that cannot be read may hold such a hook: fail closed.
                findings.Add($"{file} cannot be read ({error.Message}), so an {Events[0]} hook there cannot be ruled out");
            }
        }

        return findings;
    }
}
