namespace McpPlanServer.Clients.Init;

/// <summary>One tool of the repository's local tool manifest: its package, the version pinned (null when none is), and the manifest file.</summary>
internal sealed record ManifestTool(string PackageId, string? Version, string RelativePath);
