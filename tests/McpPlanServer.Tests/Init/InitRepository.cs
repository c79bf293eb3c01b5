using McpPlanServer.Clients.Init;

namespace McpPlanServer.Tests.Init;

/// <summary>A throw-away repository (a folder with <c>.git</c>) and helpers to run init in it and look at the result.</summary>
internal sealed class InitRepository : IDisposable
{
    public static readonly ServerLaunchCommand Launch = new("mcpplan", []);

    public InitRepository()
    {
        Root = Directory.CreateTempSubdirectory("mcpplan-init-").FullName;
        Directory.CreateDirectory(System.IO.Path.Join(Root, ".git"));
    }

    public string Root { get; }

    public string Path(string relative) => System.IO.Path.Join(Root, relative);

    public string Read(string relative) => File.ReadAllText(Path(relative));

    public void Write(string relative, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path(relative))!);
        File.WriteAllText(Path(relative), text);
    }

    public (int ExitCode, string Stdout, string Stderr) Init(bool share = false, bool dryRun = false, ServerLaunchCommand? launch = null, bool allowMachinePath = false, IReadOnlyList<string>? clients = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = InitCommand.Run(new InitOptions(Root, share, dryRun, launch ?? Launch, allowMachinePath, Clients: clients), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every file and folder with its bytes and write time, to prove a run changed nothing.</summary>
    public Dictionary<string, (string Bytes, DateTime WrittenAt)> Snapshot() =>
        Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
            .ToDictionary(
                entry => System.IO.Path.GetRelativePath(Root, entry),
                entry => (File.Exists(entry) ? Convert.ToBase64String(File.ReadAllBytes(entry)) : "<dir>", File.GetLastWriteTimeUtc(entry)));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
