namespace McpPlanServer.Tests.Plans;

/// <summary>Files of this repository (examples, seeds) for tests, found by walking up to McpPlanServer.sln.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "McpPlanServer.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("McpPlanServer.sln not found above the test output.");
    }
}
