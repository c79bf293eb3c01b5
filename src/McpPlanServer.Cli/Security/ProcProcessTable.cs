using System.Text;

namespace McpPlanServer.Cli.Security;

/// <summary>Linux's /proc: status (PPid), cmdline, comm and environ of each process.</summary>
public sealed class ProcProcessTable(string procRoot = "/proc") : IProcessTable
{
    public bool CanInspect => Directory.Exists(Path.Combine(procRoot, "self"));

    public int? ParentOf(int processId)
    {
        foreach (var line in ReadText(processId, "status")?.Split('\n') ?? [])
        {
            if (line.StartsWith("PPid:", StringComparison.Ordinal) && int.TryParse(line[5..].Trim(), out var parent))
            {
                return parent > 0 ? parent : null;
            }
        }

        return null;
    }

    public IReadOnlyList<string> CommandLine(int processId) =>
        ReadText(processId, "cmdline")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public string? Name(int processId) => ReadText(processId, "comm")?.Trim();

    public IReadOnlyDictionary<string, string> Environment(int processId)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in ReadText(processId, "environ")?.Split('\0', StringSplitOptions.RemoveEmptyEntries) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                variables.TryAdd(pair[..equals], pair[(equals + 1)..]);
            }
        }

        return variables;
    }

    private string? ReadText(int processId, string file)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(procRoot, processId.ToString(System.Globalization.CultureInfo.InvariantCulture), file)));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Gone, or another user's process: nothing to read is not a finding.
            return null;
        }
    }
}
