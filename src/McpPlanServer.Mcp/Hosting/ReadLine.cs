namespace McpPlanServer.Mcp.Hosting;

/// <summary>One line from <see cref="BoundedLineReader"/>: its bytes (only the first ones when <paramref name="Oversized"/>) and its full length.</summary>
public readonly record struct ReadLine(ReadOnlyMemory<byte> Content, bool Oversized, long Length);
