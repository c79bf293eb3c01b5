namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// A throw-away repository laid out as mcpplan init leaves it, plus a home folder and a folder outside both.
/// <c>notes</c> is a symlink into the plans root, <c>src/settings-link.json</c> one to <c>.mcp.json</c>, and
/// <c>src-link</c> one out of the repository (so <c>src-link/..</c> means different places lexically and physically).
/// </summary>
public sealed class HookRepositoryFixture : IDisposable
{
    public HookRepositoryFixture()
    {
        Root = Directory.CreateTempSubdirectory("mcpplan-hook-").FullName;
        Repo = Directory.CreateDirectory(Path.Join(Root, "repo")).FullName;
        Home = Directory.CreateDirectory(Path.Join(Root, "home")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Root, "outside")).FullName;
        Directory.CreateDirectory(Path.Join(Repo, ".git"));
        foreach (var folder in new[] { "Review", "Active", "Completed" })
        {
            Directory.CreateDirectory(Path.Join(Repo, ".claude", "plans", folder));
        }

        Directory.CreateDirectory(Path.Join(Repo, "src"));
        Directory.CreateDirectory(Path.Join(Home, ".claude"));
        File.WriteAllText(Path.Join(Repo, "src", "app.cs"), "class App {}");
        File.WriteAllText(Path.Join(Repo, ".mcp.json"), "{}");
        File.WriteAllText(Path.Join(Repo, ".claude", "plans", "Active", "p.md"), "# Plan: P");
        File.CreateSymbolicLink(Path.Join(Repo, "notes"), Path.Join(Repo, ".claude", "plans", "Active"));
        File.CreateSymbolicLink(Path.Join(Repo, "src", "settings-link.json"), "../.mcp.json");
        Directory.CreateDirectory(Path.Join(Outside, "deep"));
        File.CreateSymbolicLink(Path.Join(Repo, "src-link"), Path.Join(Outside, "deep"));
    }

    public string Root { get; }

    public string Repo { get; }

    public string Home { get; }

    public string Outside { get; }

    public string Expand(string text) =>
        text.Replace("{REPO}", Repo, StringComparison.Ordinal)
            .Replace("{HOME}", Home, StringComparison.Ordinal)
            .Replace("{OUTSIDE}", Outside, StringComparison.Ordinal);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
