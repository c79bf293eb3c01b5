namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// Finds the built <c>mcpplan</c> executable these black-box tests drive: <c>MCPPLAN_EXE</c> if set (for example
/// the Native AOT binary), else the apphost the solution build placed next to the CLI project.
/// </summary>
public static class Executable
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string Path => Located.Value;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MCPPLAN_EXE") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"MCPPLAN_EXE={configured} does not exist.");
        }

        // tests/McpPlanServer.EndToEnd/bin/<Configuration>/net10.0/ → the same configuration of the CLI project.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent?.Name ?? "Debug";
        var name = OperatingSystem.IsWindows() ? "mcpplan.exe" : "mcpplan";
        var candidate = System.IO.Path.Combine(RepositoryRoot, "src", "McpPlanServer.Cli", "bin", configuration, "net10.0", name);
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"Build the solution first: {candidate} is missing.");
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "McpPlanServer.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("McpPlanServer.sln not found above the test output folder.");
    }
}
