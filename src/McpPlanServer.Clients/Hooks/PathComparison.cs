using McpPlanServer.Core.Paths;

namespace McpPlanServer.Clients.Hooks;

/// <summary>Component-wise comparison of absolute paths, case-insensitive where the usual file systems are (Windows, macOS).</summary>
internal static class PathComparison
{
    private static readonly bool IgnoreCase = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS();

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies below it.</summary>
    public static bool IsUnder(string path, string folder) => PathContainment.IsInside(path.Replace('\\', '/'), folder.Replace('\\', '/'), PathContainment.Platform);

    public static bool NameEquals(string left, string right) =>
        string.Equals(left, right, IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    public static bool NameMatchesSettings(string name) =>
        name.StartsWith("settings", IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
        && name.EndsWith(".json", IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>The path relative to <paramref name="folder"/> with forward slashes, or null when it is not under it.</summary>
    public static string? RelativeTo(string path, string folder)
    {
        if (!IsUnder(path, folder))
        {
            return null;
        }

        var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
        return relative == "." ? "" : relative;
    }
}
