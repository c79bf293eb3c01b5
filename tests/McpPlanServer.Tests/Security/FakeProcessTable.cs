using McpPlanServer.Cli.Security;

namespace McpPlanServer.Tests.Security;

/// <summary>A process tree written down by the test: each process with its parent, argv and environment.</summary>
public sealed class FakeProcessTable : IProcessTable
{
    private readonly Dictionary<int, (int? Parent, string[] CommandLine, Dictionary<string, string> Environment)> processes = [];

    public bool CanInspect { get; init; } = true;

    public FakeProcessTable Add(int pid, int? parent, string[] commandLine, Dictionary<string, string>? environment = null)
    {
        processes[pid] = (parent, commandLine, environment ?? []);
        return this;
    }

    public int? ParentOf(int processId) => processes.TryGetValue(processId, out var process) ? process.Parent : null;

    public IReadOnlyList<string> CommandLine(int processId) => processes.TryGetValue(processId, out var process) ? process.CommandLine : [];

    public string? Name(int processId) => processes.TryGetValue(processId, out var process) && process.CommandLine.Length > 0 ? Path.GetFileName(process.CommandLine[0]) : null;

    public IReadOnlyDictionary<string, string> Environment(int processId) => processes.TryGetValue(processId, out var process) ? process.Environment : new Dictionary<string, string>();
}
