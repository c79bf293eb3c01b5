namespace McpPlanServer.Cli.Commands;

/// <summary>How to start this same executable again: the native/apphost binary, or <c>dotnet mcpplan.dll</c>.</summary>
public static class SelfProcess
{
    public static (string Command, IReadOnlyList<string> Prefix) Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        var name = Path.GetFileNameWithoutExtension(process);
        if (string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var assembly = Path.Combine(AppContext.BaseDirectory, "mcpplan.dll");
            return (process, [assembly]);
        }

        return (process, []);
    }
}
