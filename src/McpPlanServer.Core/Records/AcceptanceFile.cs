namespace McpPlanServer.Core.Records;

/// <summary>One acceptance test file as the planner wrote it: UTF-8 text and the SHA-256 of its bytes.</summary>
public sealed record AcceptanceFile(string Path, string Content, string Sha256);
