namespace McpPlanServer.Core.Paths;

/// <summary>Whether two path components that differ only in letter case name the same entry.</summary>
public enum PathCase
{
    /// <summary>Ordinal comparison: git's own paths, and Linux file systems.</summary>
    Sensitive,

    /// <summary>Ordinal ignoring case: the default file systems of Windows (NTFS) and macOS (APFS).</summary>
    Insensitive,
}
