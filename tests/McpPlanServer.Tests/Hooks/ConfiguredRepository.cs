namespace McpPlanServer.Tests.Hooks;

/// <summary>A bare repository folder with the given <c>.claude/mcpplan.json</c>.</summary>
internal sealed class ConfiguredRepository : IDisposable
{
    public ConfiguredRepository(string config)
    {
        Root = Directory.CreateTempSubdirectory("mcpplan-hookcfg-").FullName;
        Directory.CreateDirectory(Path.Join(Root, ".git"));
        Directory.CreateDirectory(Path.Join(Root, ".claude"));
        File.WriteAllText(Path.Join(Root, ".claude", "mcpplan.json"), config);
    }

    public string Root { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
