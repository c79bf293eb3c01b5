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
            throw new PlanRefusedException("symlink_loop", $"{error.Message} Remove the link loop.");
        }
    }

    public static bool IsInside(string path, string root)
    {
        var pathParts = Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var rootParts = Path.GetFullPath(root).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        if (rootParts.Length > pathParts.Length)
        {
            return false;
        }

        for (var i = 0; i < rootParts.Length; i++)
        {
            if (!string.Equals(pathParts[i], rootParts[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Refuses unless <paramref name="path"/>, with symlinks resolved, stays inside <paramref name="realRoot"/>.</summary>
    public static void RequireInside(string path, string realRoot, string what)
    {
        var real = RealPath(path);
        if (!IsInside(real, realRoot))
        {
            throw new PlanRefusedException(
                "path_outside_repository",
                $"The {what} leads outside the repository through a symbolic link. Replace the link with a real folder inside the repository.");
        }
    }
}
