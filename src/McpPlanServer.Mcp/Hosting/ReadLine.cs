namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// One line from <see cref="BoundedLineReader"/>: its bytes (only the first ones when <paramref name="Oversized"/>), its
/// full length, and for an oversized line its last bytes (<paramref name="Tail"/>: where a client that writes the id after
/// the params puts it).
/// </summary>
public readonly record struct ReadLine(ReadOnlyMemory<byte> Content, bool Oversized, long Length, ReadOnlyMemory<byte> Tail = default);
