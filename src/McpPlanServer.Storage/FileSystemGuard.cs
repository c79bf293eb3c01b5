using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// Keeps every path the store touches inside the repository: each component is checked for symlinks, and where one
/// is found its target is resolved and compared with the repository root by components, never by string prefix.
/// </summary>
internal static class FileSystemGuard
{
    /// <summary>The real path of <paramref name="path"/>, with every symlink on the way resolved (missing tail components kept as they are).</summary>
    public static string RealPath(string path)
    {
        try
        {
            return Storage.RealPath.Resolve(Path.GetFullPath(path), Directory.GetCurrentDirectory());
        }
        catch (IOException error)
        {
            throw new PlanRefusedException(RefusalCodes.SymlinkLoop, $"{error.Message} Remove the link loop.");
        }
    }

    /// <summary>Refuses unless <paramref name="path"/>, with symlinks resolved, stays inside <paramref name="realRoot"/>.</summary>
    public static void RequireInside(string path, string realRoot, string what)
    {
        var real = RealPath(path);
        if (!PathContainment.IsInside(real, realRoot, PathContainment.Platform))
        {
            throw new PlanRefusedException(
                RefusalCodes.PathOutsideRepository,
                $"The {what} leads outside the repository through a symbolic link. Replace the link with a real folder inside the repository.");
        }
    }
}
