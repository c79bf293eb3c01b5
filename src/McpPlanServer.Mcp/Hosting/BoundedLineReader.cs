namespace McpPlanServer.Mcp.Hosting;

/// <summary>
/// Reads newline-delimited messages from a stream without ever holding more than <c>limit</c> bytes of one line: a
/// longer line is skipped to its end while only its first bytes (for the request id) and its length are kept. Memory
/// stays bounded whatever a client sends.
/// </summary>
public sealed class BoundedLineReader(Stream input, int limit)
{
    /// <summary>How much of the start and of the end of an oversized line is kept to find its id.</summary>
    public const int KeptPrefixBytes = 4096;

    private const int ChunkBytes = 64 * 1024;
    private const int SmallLineBytes = 64 * 1024;

    private readonly byte[] chunk = new byte[ChunkBytes];
    private int chunkStart;
    private int chunkEnd;
    private readonly byte[] tail = new byte[KeptPrefixBytes];
    private byte[] line = new byte[SmallLineBytes];
    private int lineLength;
    private int tailLength;

    public int Limit => limit;

    /// <summary>The next line (without its newline), or null at the end of the stream.</summary>
    public async ValueTask<ReadLine?> ReadAsync(CancellationToken cancellationToken)
    {
        ShrinkAfterLargeLine();
        long total = 0;
        var oversized = false;
        while (true)
        {
            if (chunkStart == chunkEnd)
            {
                chunkStart = 0;
                chunkEnd = await input.ReadAsync(chunk, cancellationToken);
                if (chunkEnd == 0)
                {
                    // A last line without its newline still counts; an empty end is the end.
                    return total == 0 ? null : Finish(oversized, total);
                }
            }

            var available = chunk.AsSpan(chunkStart, chunkEnd - chunkStart);
            var newline = available.IndexOf((byte)'\n');
            var piece = newline < 0 ? available : available[..newline];
            total += piece.Length;
            if (!oversized && lineLength + piece.Length > limit)
            {
                // Keep the start (for the id) and drop the rest as it streams past.
                oversized = true;
                lineLength = Math.Min(lineLength, KeptPrefixBytes);
            }

            if (oversized)
            {
                Append(piece[..Math.Max(0, Math.Min(piece.Length, KeptPrefixBytes - lineLength))]);
                KeepTail(piece);
            }
            else
            {
                Append(piece);
            }

            chunkStart += newline < 0 ? piece.Length : newline + 1;
            if (newline >= 0)
            {
                return Finish(oversized, total);
            }
        }
    }

    private ReadLine Finish(bool oversized, long total)
    {
        var content = line.AsMemory(0, lineLength);
        if (!oversized && content.Length > 0 && content.Span[^1] == (byte)'\r')
        {
            content = content[..^1];
        }

        var kept = oversized ? tail.AsMemory(0, tailLength) : default;
        lineLength = 0;
        tailLength = 0;
        return new ReadLine(content, oversized, total, kept);
    }

    /// <summary>Slides the last <see cref="KeptPrefixBytes"/> of an oversized line along as it streams past.</summary>
    private void KeepTail(ReadOnlySpan<byte> piece)
    {
        if (piece.Length >= tail.Length)
        {
            piece[^tail.Length..].CopyTo(tail);
            tailLength = tail.Length;
            return;
        }

        var keep = Math.Min(tailLength, tail.Length - piece.Length);
        tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
        piece.CopyTo(tail.AsSpan(keep));
        tailLength = keep + piece.Length;
    }

    private void Append(ReadOnlySpan<byte> piece)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        if (lineLength + piece.Length > line.Length)
        {
            var grown = new byte[Math.Min(Math.Max(line.Length * 2, lineLength + piece.Length), Math.Max(limit, KeptPrefixBytes))];
            line.AsSpan(0, lineLength).CopyTo(grown);
            line = grown;
        }

        piece.CopyTo(line.AsSpan(lineLength));
        lineLength += piece.Length;
    }

    /// <summary>A buffer grown for one large request is let go, so a burst of large requests does not pin memory.</summary>
    private void ShrinkAfterLargeLine()
    {
        if (line.Length > SmallLineBytes)
        {
            line = new byte[SmallLineBytes];
        }
    }
}
