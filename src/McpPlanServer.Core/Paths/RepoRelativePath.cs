using System.Diagnostics.CodeAnalysis;

namespace McpPlanServer.Core.Paths;

/// <summary>
/// Syntactic validation of a repository-relative path, before any file system call: no absolute or drive-rooted
/// paths, no component that climbs out (<c>..</c>), nothing inside <c>.git</c>, no control characters.
/// The result uses forward slashes and has no <c>.</c> components. Components are compared, never string prefixes;
/// where the path leads on disk (symlinks) is the adapters' check.
/// </summary>
public static class RepoRelativePath
{
    public const int MaxLength = 1024;

    public static bool TryNormalize(string? raw, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        error = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "The path is empty. Give a path relative to the repository root, such as src/app.cs.";
            return false;
        }

        if (raw.Length > MaxLength)
        {
            error = $"The path is {raw.Length} characters long; the limit is {MaxLength}.";
            return false;
        }

        foreach (var c in raw)
        {
            if (char.IsControl(c))
            {
                error = $"The path contains a control character (U+{(int)c:X4}). Give a plain relative path.";
                return false;
            }
        }

        var path = raw.Replace('\\', '/');
        if (path.StartsWith('/') || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            error = $"'{raw}' is an absolute path. Give a path relative to the repository root, such as src/app.cs.";
            return false;
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    error = $"'{raw}' leads outside the repository. Give a path inside it.";
                    return false;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        if (parts.Count == 0)
        {
            error = $"'{raw}' names the repository root, not a file. Give a file path such as src/app.cs.";
            return false;
        }

        if (string.Equals(parts[0], ".git", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{raw}' is inside .git, which is git's own storage and never part of a plan or a commit.";
            return false;
        }

        normalized = string.Join('/', parts);
        return true;
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="folder"/> or lies below it, comparing whole components exactly, as git does.</summary>
    public static bool IsUnder(string path, string folder) => PathContainment.IsInside(path, folder, PathCase.Sensitive);
}
