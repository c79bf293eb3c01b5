using McpPlanServer.Core.Security;

namespace McpPlanServer.Cli.Security;

/// <summary>
/// Decides whether a process runs inside an AI agent session: a marker of <see cref="AgentSessionMarkers"/> in its own
/// environment, or an ancestor that is one of the clients or carries a marker. A convenience layer: a process that
/// controls how it is started (a scrubbed environment, a double fork) defeats it; the sandbox and the person's own
/// channels carry the hard guarantee.
/// </summary>
public static class AgentSessionDetector
{
    private const int MaxDepth = 64;

    private static readonly HashSet<string> Interpreters = new(StringComparer.Ordinal) { "node", "nodejs", "bun", "deno", "python", "python3" };

    public static AgentSessionReport Inspect(IReadOnlyDictionary<string, string> ownEnvironment, IProcessTable processes, int self, bool terminal)
    {
        var signals = new List<string>();
        var markers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, client) in Markers(ownEnvironment))
        {
            signals.Add($"{name} is set in this process's environment ({client})");
            markers.Add(name);
        }

        var chain = new List<string>();
        if (processes.CanInspect)
        {
            var seen = new HashSet<int> { self };
            for (var parent = processes.ParentOf(self); parent is { } pid && chain.Count < MaxDepth && seen.Add(pid); parent = processes.ParentOf(pid))
            {
                var commandLine = processes.CommandLine(pid);
                var name = DisplayName(commandLine, processes.Name(pid));
                chain.Add(name);
                if (ClientOf(commandLine, processes.Name(pid)) is { } client)
                {
                    signals.Add($"ancestor process {pid} ({name}) is {client}");
                }

                foreach (var (variable, markedClient) in Markers(processes.Environment(pid)))
                {
                    signals.Add($"ancestor process {pid} ({name}) carries {variable} ({markedClient})");
                    markers.Add(variable);
                }
            }
        }

        return new AgentSessionReport(signals, [.. markers], chain, terminal, processes.CanInspect);
    }

    private static IEnumerable<(string Name, string Client)> Markers(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var name in AgentSessionMarkers.VariableNames)
        {
            if (environment.TryGetValue(name, out var value) && AgentSessionMarkers.ClientOf(name, value) is { } client)
            {
                yield return (name, client);
            }
        }
    }

    /// <summary>The client a process is, from its executable, its script (for node/bun/python) or its kernel name.</summary>
    private static string? ClientOf(IReadOnlyList<string> commandLine, string? kernelName)
    {
        var candidates = new List<string>();
        if (kernelName is not null)
        {
            candidates.Add(kernelName);
        }

        if (commandLine.Count > 0)
        {
            candidates.Add(BaseName(commandLine[0]));
            if (Interpreters.Contains(BaseName(commandLine[0])) && commandLine.Count > 1)
            {
                var script = commandLine.Skip(1).FirstOrDefault(argument => !argument.StartsWith('-'));
                if (script is not null)
                {
                    candidates.Add(BaseName(script));
                    if (AgentSessionMarkers.ClientPackagePaths.FirstOrDefault(package => script.Replace('\\', '/').Contains(package, StringComparison.Ordinal)) is { } package)
                    {
                        return package;
                    }
                }
            }
        }

        return candidates.FirstOrDefault(candidate => AgentSessionMarkers.ClientProcessNames.Contains(candidate, StringComparer.Ordinal));
    }

    private static string DisplayName(IReadOnlyList<string> commandLine, string? kernelName) =>
        commandLine.Count > 0 ? BaseName(commandLine[0]) : kernelName ?? "?";

    private static string BaseName(string path)
    {
        var name = path.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        return name.EndsWith(".js", StringComparison.Ordinal) || name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? Path.GetFileNameWithoutExtension(name) : name;
    }
}
