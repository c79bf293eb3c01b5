namespace McpPlanServer.Clients.Init;

/// <summary>
/// How Claude Code starts this executable, for <c>.mcp.json</c> and the hook entry. Both files are shared through
/// git, so the command must work on a teammate's machine: <c>dotnet tool run mcpplan</c> when the repository's tool
/// manifest lists it (a teammate's <c>dotnet tool restore</c> gets the same version), else <c>mcpplan</c> when it is on
/// PATH. Only as a last resort, and only when the person allows it, a path of this machine: the apphost beside the dll,
/// or <c>dotnet &lt;path&gt;/mcpplan.dll</c> when there is none, so running init from the apphost or through dotnet
/// writes the same files.
/// </summary>
/// <param name="Command">The program to run.</param>
/// <param name="LeadingArguments">Arguments before the subcommand (<c>tool run mcpplan</c>, or the dll path when the program is dotnet).</param>
public sealed record ServerLaunchCommand(string Command, IReadOnlyList<string> LeadingArguments)
{
    public const string ExecutableName = "mcpplan";

    /// <summary>The repository's local tool: <c>dotnet tool run mcpplan</c>.</summary>
    public static ServerLaunchCommand LocalTool { get; } = new("dotnet", ["tool", "run", ExecutableName]);

    /// <summary>The command on PATH: <c>mcpplan</c>.</summary>
    public static ServerLaunchCommand OnPath { get; } = new(ExecutableName, []);

    /// <summary>True when the command names a place on this machine (an absolute path), which a clone elsewhere will not have.</summary>
    public bool IsMachineSpecific => Path.IsPathRooted(Command) || LeadingArguments.Any(Path.IsPathRooted);

    /// <summary>True for <c>dotnet tool run mcpplan</c>.</summary>
    public bool IsLocalTool => Command == LocalTool.Command && LeadingArguments.SequenceEqual(LocalTool.LeadingArguments);

    /// <summary>The program and its leading arguments, quoted for the shell.</summary>
    public string Invocation => string.Join(' ', new[] { Command }.Concat(LeadingArguments).Select(ShellQuote));

    /// <summary>
    /// The hook's command line as Claude Code runs it through the shell. Claude Code lets a call through on any exit
    /// code but 2, so a hook that cannot start (127: not found, a missing runtime, a tool not restored) would allow
    /// everything: the wrapper turns every failure into 2 with a message that names how to install mcpplan.
    /// </summary>
    public string HookCommandLine => HookCommandLineFor(null);

    /// <summary><see cref="HookCommandLine"/> for <c>mcpplan hook --client CLIENT</c>; every client named here blocks on exit 2.</summary>
    public string HookCommandLineFor(string? client) =>
        $"{Invocation} hook{(client is null ? "" : " --client " + client)} || {{ s=$?; [ \"$s\" = 2 ] || echo \"mcpplan hook could not run (exit $s), so this call is blocked: {InstallHint}\" >&2; exit 2; }}";

    /// <summary>How to make the command work on a machine where it does not (no quotes, backticks or dollars: it sits inside the shell's double quotes).</summary>
    public string InstallHint => IsLocalTool
        ? "run dotnet tool restore in the repository root (the tool manifest .config/dotnet-tools.json lists mcpplan)."
        : IsMachineSpecific
            ? $"{Command} exists only on the machine that ran mcpplan init; install mcpplan (docs/install.md) and run mcpplan init again."
            : "install mcpplan on PATH (dotnet tool install -g McpPlanServer, see docs/install.md) or as a local tool of the repository.";

    public static ServerLaunchCommand Detect(string repoRoot) => Detect(
        repoRoot,
        Environment.ProcessPath,
        Environment.GetCommandLineArgs().FirstOrDefault(),
        Environment.GetEnvironmentVariable("PATH"),
        AppContext.BaseDirectory);

    internal static ServerLaunchCommand Detect(string repoRoot, string? processPath, string? firstArgument, string? pathVariable, string baseDirectory)
    {
        if (LocalToolManifest.FindCommand(repoRoot, ExecutableName) is not null)
        {
            return LocalTool;
        }

        if (FindOnPath(pathVariable) is not null)
        {
            return OnPath;
        }

        return ThisMachine(processPath, firstArgument, baseDirectory);
    }

    /// <summary>The running executable by its path on this machine; the apphost when there is one, whichever way it was started.</summary>
    internal static ServerLaunchCommand ThisMachine(string? processPath, string? firstArgument, string baseDirectory)
    {
        if (processPath is null)
        {
            return OnPath;
        }

        if (Path.GetFileNameWithoutExtension(processPath) != "dotnet")
        {
            return new ServerLaunchCommand(Path.GetFullPath(processPath), []);
        }

        // `dotnet mcpplan.dll …`: prefer the apphost beside it, the command the apphost itself would write.
        var dll = firstArgument is not null && firstArgument.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(firstArgument)
            : Path.Join(baseDirectory, ExecutableName + ".dll");
        var apphost = Path.Join(Path.GetDirectoryName(dll), OperatingSystem.IsWindows() ? ExecutableName + ".exe" : ExecutableName);
        return File.Exists(apphost) ? new ServerLaunchCommand(apphost, []) : new ServerLaunchCommand("dotnet", [dll]);
    }

    /// <summary>The first <c>mcpplan</c> on <paramref name="pathVariable"/>, the one the shell would run; null when there is none.</summary>
    internal static string? FindOnPath(string? pathVariable)
    {
        var names = OperatingSystem.IsWindows() ? new[] { ExecutableName + ".exe", ExecutableName + ".cmd" } : [ExecutableName];
        foreach (var folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Join(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:@%+=,-".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
