namespace McpPlanServer.Core.Paths;

/// <summary>
/// The one answer to "is this path inside that folder". Paths are compared by whole components, never by string prefix,
/// so <c>/a/bc</c> is not inside <c>/a/b</c>; <c>.</c>, empty components and trailing separators are ignored and
/// <c>..</c> is resolved lexically (a path that climbs out of the folder is outside it). Links are not followed: where a
/// link could lead elsewhere, resolve the real path first. The case rule is always the caller's explicit choice.
/// </summary>
public static class PathContainment
{
    /// <summary>
    /// The case rule of the usual file system of this platform: insensitive on Windows and macOS, sensitive elsewhere.
    /// Use it for paths on disk; use <see cref="PathCase.Sensitive"/> for repository-relative paths, which git compares exactly.
    /// </summary>
    public static PathCase Platform { get; } = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? PathCase.Insensitive : PathCase.Sensitive;

    /// <summary>
    /// True when <paramref name="path"/> is <paramref name="folder"/> or lies below it. When either is absolute both are
    /// made full paths first (a relative one against the current directory); two relative paths are compared as given.
    /// </summary>
    public static bool IsInside(string path, string folder, PathCase pathCase)
    {
        if (Path.IsPathRooted(path) || Path.IsPathRooted(folder))
        {
            path = Path.GetFullPath(path);
            folder = Path.GetFullPath(folder);
        }

        var pathParts = Components(path);
        var folderParts = Components(folder);
        if (folderParts.Count > pathParts.Count)
        {
            return false;
        }

        var comparison = pathCase == PathCase.Insensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        for (var i = 0; i < folderParts.Count; i++)
        {
            if (!string.Equals(pathParts[i], folderParts[i], comparison))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The components with <c>.</c> and empty ones dropped and each <c>..</c> taking back the one before it.</summary>
    private static List<string> Components(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return parts;
    }
}
