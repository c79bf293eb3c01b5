using System.Text;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Puts the <c>plans</c> server into Codex CLI's project file <c>.codex/config.toml</c> (read only in a project the
/// person has trusted). Codex expands no variables in <c>args</c> and passes a server only a short list of variables,
/// so the entry starts <c>serve --role-from-env</c> and forwards MCPPLAN_ROLE with <c>env_vars</c>. The merge works on
/// lines so comments and every other table stay byte for byte: in <c>[mcp_servers.plans]</c> init owns
/// <c>command</c> and <c>args</c>, and adds MCPPLAN_ROLE to <c>env_vars</c> when it is missing.
/// </summary>
internal static class CodexConfigMerger
{
    public const string RelativePath = ".codex/config.toml";
    private const string TableName = "mcp_servers." + ServerEntryMerger.ServerName;
    private const string Header = "[" + TableName + "]";

    public static (string Text, string? Detail) Merge(string? existing, ServerLaunchCommand launch)
    {
        var command = Quote(launch.Command);
        var args = Array(JsonClientConfig.ServeArguments(launch));
        var envVars = Array([Core.Security.AgentSessionMarkers.RoleVariable]);
        if (existing is null || !HasTable(existing))
        {
            RefuseOtherForms(existing ?? "");
            var block = $"{Header}\ncommand = {command}\nargs = {args}\nenv_vars = {envVars}\n";
            var prefix = string.IsNullOrEmpty(existing) ? "" : existing.EndsWith('\n') ? existing + "\n" : existing + "\n\n";
            return (prefix + block, $"adds {TableName}");
        }

        var lines = existing.Split('\n').ToList();
        var start = lines.FindIndex(line => line.Trim() == Header);
        var end = lines.FindIndex(start + 1, line => line.TrimStart().StartsWith('['));
        end = end < 0 ? lines.Count : end;
        while (end > start + 1 && lines[end - 1].Trim().Length == 0)
        {
            end--;
        }

        var changes = new List<string>();
        SetKey(lines, start, ref end, "command", command, changes);
        SetKey(lines, start, ref end, "args", args, changes);
        var envLine = FindKey(lines, start, end, "env_vars");
        if (envLine < 0)
        {
            lines.Insert(end++, $"env_vars = {envVars}");
            changes.Add($"adds {TableName}.env_vars");
        }
        else if (!lines[envLine].Contains(Quote(Core.Security.AgentSessionMarkers.RoleVariable), StringComparison.Ordinal))
        {
            var open = lines[envLine].IndexOf('[', StringComparison.Ordinal);
            if (open < 0 || !lines[envLine].TrimEnd().EndsWith(']'))
            {
                throw new InitRefusedException($"{RelativePath}: {TableName}.env_vars is not a one-line list; add \"MCPPLAN_ROLE\" to it by hand and run mcpplan init again.");
            }

            var rest = lines[envLine][(open + 1)..].TrimStart();
            lines[envLine] = lines[envLine][..(open + 1)] + Quote(Core.Security.AgentSessionMarkers.RoleVariable) + (rest.StartsWith(']') ? "" : ", ") + rest;
            changes.Add($"adds MCPPLAN_ROLE to {TableName}.env_vars");
        }

        return (string.Join('\n', lines), changes.Count == 0 ? null : string.Join("; ", changes));
    }

    /// <summary>The <c>command</c> and <c>args</c> of <c>[mcp_servers.plans]</c> as JSON, for doctor; null when the table is absent.</summary>
    public static System.Text.Json.Nodes.JsonObject? ReadEntry(string? text)
    {
        if (text is null || !HasTable(text))
        {
            return null;
        }

        var lines = text.Split('\n').ToList();
        var start = lines.FindIndex(line => line.Trim() == Header);
        var end = lines.FindIndex(start + 1, line => line.TrimStart().StartsWith('['));
        end = end < 0 ? lines.Count : end;
        var entry = new System.Text.Json.Nodes.JsonObject();
        foreach (var key in new[] { "command", "args" })
        {
            var index = FindKey(lines, start, end, key);
            if (index < 0)
            {
                continue;
            }

            var value = lines[index][(lines[index].IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
            try
            {
                // A one-line TOML string or array of basic strings reads as JSON.
                entry[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
            }
            catch (System.Text.Json.JsonException)
            {
                entry[key] = value;
            }
        }

        return entry;
    }

    private static bool HasTable(string text) => text.Split('\n').Any(line => line.Trim() == Header);

    /// <summary>The server written another way (inline table, dotted keys) would be defined twice; the person merges by hand.</summary>
    private static void RefuseOtherForms(string text)
    {
        var inMcpServers = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                inMcpServers = line == "[mcp_servers]";
                if (line.StartsWith("[" + TableName + ".", StringComparison.Ordinal))
                {
                    throw new InitRefusedException($"{RelativePath} has {line} but no {Header}; add the table by hand (docs/clients.md) and run mcpplan init again.");
                }

                continue;
            }

            if (line.StartsWith(TableName, StringComparison.Ordinal) || (inMcpServers && line.StartsWith(ServerEntryMerger.ServerName, StringComparison.Ordinal) && line[ServerEntryMerger.ServerName.Length..].TrimStart().StartsWith('=') ))
            {
                throw new InitRefusedException($"{RelativePath} defines the {ServerEntryMerger.ServerName} server as an inline or dotted table; write it as a {Header} table (docs/clients.md) and run mcpplan init again.");
            }
        }
    }

    private static int FindKey(List<string> lines, int start, int end, string key)
    {
        for (var index = start + 1; index < end; index++)
        {
            var line = lines[index].TrimStart();
            if (line.StartsWith(key, StringComparison.Ordinal) && line[key.Length..].TrimStart().StartsWith('='))
            {
                return index;
            }
        }

        return -1;
    }

    private static void SetKey(List<string> lines, int start, ref int end, string key, string value, List<string> changes)
    {
        var wanted = $"{key} = {value}";
        var index = FindKey(lines, start, end, key);
        if (index < 0)
        {
            lines.Insert(end++, wanted);
            changes.Add($"adds {TableName}.{key}");
            return;
        }

        var current = lines[index].Trim();
        if (current == wanted)
        {
            return;
        }

        if (current.Contains('[', StringComparison.Ordinal) && !current.EndsWith(']'))
        {
            throw new InitRefusedException($"{RelativePath}: {TableName}.{key} spans several lines; replace it with {wanted} by hand and run mcpplan init again.");
        }

        lines[index] = wanted;
        changes.Add($"sets {TableName}.{key}");
    }

    private static string Array(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Quote)) + "]";

    /// <summary>A TOML basic string.</summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
