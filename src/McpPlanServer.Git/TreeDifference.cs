using LibGit2Sharp;
using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Git;

/// <summary>One blob path that differs between two trees, with both sides (null where absent).</summary>
internal sealed record TreeDifference(string Path, FileChangeKind Kind, Blob? Old, Blob? New);
