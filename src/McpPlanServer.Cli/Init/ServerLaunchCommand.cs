namespace McpPlanServer.Cli.Init;

/// <summary>
/// How Claude Code starts this executable, for <c>.mcp.json</c> and the hook entry: <c>mcpplan</c> when it is on
/// PATH (a dotnet global tool, a package), else its absolute path, or <c>dotnet &lt;path&gt;/mcpplan.dll</c> when
/// it runs as a framework-dependent dll.
/// </summary>
/// <param name="Command">The program to run.</param>
/// <param name="LeadingArguments">Arguments before the subcommand (the dll path when the program is dotnet).</param>
public sealed record ServerLaunchCommand(string Command, IReadOnlyList<string> LeadingArguments)
{
    public const string ExecutableName = "mcpplan";

    /// <summary>The command line of the hook as Claude Code runs it through the shell, such as <c>mcpplan hook</c>.</summary>
    public string HookCommandLine => string.Join(' ', new[] { Command }.Concat(LeadingArguments).Append("hook").Select(ShellQuote));

    public static ServerLaunchCommand Detect() => Detect(
        Environment.ProcessPath,
        Environment.GetCommandLineArgs().FirstOrDefault(),
        Environment.GetEnvironmentVariable("PATH"),
        AppContext.BaseDirectory);

    internal static ServerLaunchCommand Detect(string? processPath, string? firstArgument, string? pathVariable, string baseDirectory)
    {
        if (processPath is null)
        {
            return new ServerLaunchCommand(ExecutableName, []);
        }

        if (Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            // `dotnet mcpplan.dll …`: the host is on PATH wherever the SDK or runtime is installed; the dll is not.
            var dll = firstArgument is not null && firstArgument.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? Path.GetFullPath(firstArgument)
                : Path.Join(baseDirectory, ExecutableName + ".dll");
            return new ServerLaunchCommand("dotnet", [dll]);
        }

        var onPath = FindOnPath(pathVariable);
        return onPath is not null && SameFile(onPath, processPath)
            ? new ServerLaunchCommand(ExecutableName, [])
            : new ServerLaunchCommand(Path.GetFullPath(processPath), []);
    }

    private static string? FindOnPath(string? pathVariable)
    {
        var names = OperatingSystem.IsWindows() ? new[] { ExecutableName + ".exe", ExecutableName + ".cmd" } : [ExecutableName];
        foreach (var folder in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var candidate = Path.Join(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate; // the first hit is the one the shell would run
                }
            }
        }

        return null;
    }

    private static bool SameFile(string left, string right)
    {
        try
        {
            static string Real(string path) => Storage.RealPath.Resolve(Path.GetFullPath(path), "/");
            return Hooks.PathComparison.IsUnder(Real(left), Real(right)) && Hooks.PathComparison.IsUnder(Real(right), Real(left));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:@%+=,-".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
