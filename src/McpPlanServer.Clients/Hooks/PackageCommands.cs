namespace McpPlanServer.Clients.Hooks;

/// <summary>Recognizes package installs and removals by the common package managers (best effort, by subcommand).</summary>
internal static class PackageCommands
{
    private static readonly HashSet<string> SystemManagers = ["apt", "apt-get", "aptitude", "dnf", "yum", "zypper", "apk", "brew", "snap", "port", "choco", "winget", "scoop", "flatpak"];
    private static readonly HashSet<string> SystemVerbs = ["install", "reinstall", "remove", "purge", "upgrade", "dist-upgrade", "full-upgrade", "update", "add", "del", "uninstall", "autoremove", "tap"];
    private static readonly HashSet<string> NodeManagers = ["npm", "pnpm", "yarn", "bun"];
    private static readonly HashSet<string> NodeVerbs = ["install", "i", "add", "ci", "remove", "rm", "uninstall", "un", "update", "up", "upgrade", "link"];

    public static bool IsInstall(string name, IReadOnlyList<ShellWord> arguments)
    {
        var operands = arguments.Where(a => !a.Text.StartsWith('-')).Select(a => a.Text).ToList();
        var first = operands.FirstOrDefault();
        var second = operands.Skip(1).FirstOrDefault();
        return name switch
        {
            _ when SystemManagers.Contains(name) => first is not null && SystemVerbs.Contains(first),
            "pacman" => arguments.Any(a => a.Text.Length > 1 && a.Text[0] == '-' && a.Text[1] is 'S' or 'R' or 'U'),
            "yarn" when first is null => true, // plain `yarn` installs
            _ when NodeManagers.Contains(name) => first is not null && NodeVerbs.Contains(first),
            "pip" or "pip3" or "pipx" => first is "install" or "uninstall",
            "python" or "python3" => arguments.Count >= 3 && arguments[0].Text == "-m" && arguments[1].Text is "pip" or "ensurepip" && first is not null,
            "uv" => first is "add" or "remove" or "sync" || (first is "pip" or "tool" && second is "install" or "uninstall"),
            "gem" => first is "install" or "uninstall" or "update",
            "cargo" => first is "install" or "uninstall" or "add" or "remove",
            "go" => first is "install" or "get",
            "dotnet" => first is "add" or "remove" || (first is "tool" or "workload" && second is "install" or "uninstall" or "update" or "restore"),
            "composer" => first is "install" or "require" or "update" or "remove",
            "conda" or "mamba" or "micromamba" => first is "install" or "remove" or "create" or "update",
            _ => false,
        };
    }
}
