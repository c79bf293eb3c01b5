using System.Text.Json;
using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// The append-only journal, one JSON object per line. Each entry is written with a single write call and flushed
/// to disk, under the caller's lock. A crash can leave at most a torn last line, which <see cref="Repair"/> cuts
/// off at the next start; a corrupt line anywhere else is reported, never skipped. Each line carries the SHA-256 of
/// the line before it (<see cref="JournalEntry.PreviousSha256"/>), so <see cref="Scan"/> shows a line changed,
/// removed or added by hand; lines from before the chain began are accepted as legacy. A journal that is a symbolic
/// link is never opened (no repair, no append): it is refused with <c>symlink_refused</c>.
/// </summary>
public sealed class JsonlJournal(string path, IFaultPoints? faults = null)
{
    private readonly IFaultPoints faults = faults ?? NoFaultPoints.Instance;

    /// <summary>What the first line links to.</summary>
    public static readonly string Genesis = new('0', 64);

    private const int TailChunk = 64 * 1024;

    private readonly Lock scanGate = new();
    private ScanCheckpoint? checkpoint;

    public string Path { get; } = path;

    /// <summary>Appends the entry linked to the current last line; returns the SHA-256 of the line written.</summary>
    public string Append(JournalEntry entry)
    {
        // A writer killed mid-line leaves a torn tail; start-up recovery cuts it, but a process that started while
        // another held the lock skipped that, and appending after it would bury a bad line mid-file (journal_corrupt).
        var previous = LastLineSha256(out var endsMidLine);
        if (endsMidLine)
        {
            Repair();
            previous = LastLineSha256(out _);
        }

        var line = JsonSerializer.SerializeToUtf8Bytes(entry with { PreviousSha256 = previous }, StorageJsonContext.Default.JournalEntry);
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        try
        {
            using var stream = Open(FileMode.Append, FileAccess.Write);
            if (faults.Armed)
            {
                stream.Write(buffer, 0, buffer.Length / 2);
                stream.Flush(flushToDisk: true);
                faults.Reached("journal:torn-append");
                stream.Write(buffer, buffer.Length / 2, buffer.Length - (buffer.Length / 2));
            }
            else
            {
                stream.Write(buffer);
            }

            stream.Flush(flushToDisk: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.Translate(error, Path);
        }

        return LineSha256(line);
    }

    public static string LineSha256(ReadOnlySpan<byte> line) => Convert.ToHexStringLower(SHA256.HashData(line));

    /// <summary>
    /// Every line with its number and hash, and where the chain breaks: a chained line whose link is not the hash of
    /// the line before it, or an unlinked line after the chain began. A torn last line (a writer still running or
    /// just killed) is left out, as <see cref="ReadAll"/> does.
    /// </summary>
    /// <remarks>
    /// Incremental: the last scan leaves a checkpoint (the length of the whole lines it read, the SHA-256 of those bytes and
    /// the chain's state after them). The next scan hashes the file's first bytes up to that length in one pass and, when
    /// they are the same bytes, parses only the lines after them; a journal shorter than the checkpoint, or any byte of it
    /// changed (a line edited, removed, inserted or reordered behind the checkpoint), fails the comparison and the whole
    /// journal is parsed again, so every break is found exactly as by a scan from the first line. The checkpoint lives in
    /// this process only: nothing on disk can vouch for lines it did not read itself.
    /// </remarks>
    public JournalScan Scan()
    {
        if (!File.Exists(Path))
        {
            return new JournalChain().Scan();
        }

        var bytes = ReadShared();
        var whole = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        lock (scanGate)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var resumed = false;
            if (checkpoint is { } known && known.Length <= whole)
            {
                hash.AppendData(bytes, 0, known.Length);
                resumed = hash.GetCurrentHash().AsSpan().SequenceEqual(known.Sha256);
                if (!resumed)
                {
                    hash.GetHashAndReset();
                }
            }

            var (chain, start, number) = resumed ? (checkpoint!.Chain.Copy(), checkpoint.Length, checkpoint.Lines) : (new JournalChain(), 0, 0);
            hash.AppendData(bytes, start, whole - start);
            (number, var torn) = ParseLines(bytes, start, whole, number, chain);

            // Only lines ended by a newline go behind the checkpoint (an unended last line may still be growing), and never a
            // last line that did not parse: it is cut at the next start, or, with lines after it, refused as corrupt.
            if (!torn)
            {
                checkpoint = new ScanCheckpoint(whole, number, hash.GetHashAndReset(), chain.Copy());
            }

            ParseLines(bytes, whole, bytes.Length, number, chain);
            return chain.Scan();
        }
    }

    /// <summary>Parses the lines in <paramref name="bytes"/> from <paramref name="start"/> to <paramref name="end"/> into the
    /// chain; returns the number of the last line, and whether the file's last line did not parse (a torn tail, left out).</summary>
    private (int Number, bool Torn) ParseLines(byte[] bytes, int start, int end, int number, JournalChain chain)
    {
        while (start < end)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', start, end - start);
            var span = bytes.AsSpan(start, (newline < 0 ? end : newline) - start);
            number++;
            start = newline < 0 ? end : newline + 1;
            if (span.IsEmpty)
            {
                continue;
            }

            JournalEntry entry;
            try
            {
                entry = JsonSerializer.Deserialize(span, StorageJsonContext.Default.JournalEntry) ?? throw new JsonException("null entry");
            }
            catch (JsonException error)
            {
                if (start >= bytes.Length)
                {
                    return (number, true);
                }

                throw new PlanRefusedException(
                    RefusalCodes.JournalCorrupt,
                    $"Line {number} of the journal {Path} is not valid JSON ({error.Message}). Restore the file from git or remove that line; every other line is intact.");
            }

            ParsedLines++;
            chain.Add(number, entry, LineSha256(span));
        }

        return (number, false);
    }

    /// <summary>How many lines scans of this journal parsed, for tests: a scan after the checkpoint parses only the new lines.</summary>
    internal long ParsedLines { get; private set; }

    /// <summary>
    /// The hash of the last line, reading only the file's tail (lines are short), and whether the file ends mid-line
    /// (a torn tail: the hash is then not one to link to).
    /// </summary>
    private string LastLineSha256(out bool endsMidLine)
    {
        endsMidLine = false;
        if (!File.Exists(Path))
        {
            return Genesis;
        }

        using var stream = Open(FileMode.Open, FileAccess.Read);
        var length = stream.Length;
        for (var chunk = TailChunk; ; chunk *= 4)
        {
            var size = (int)Math.Min(length, chunk);
            var buffer = new byte[size];
            stream.Position = length - size;
            stream.ReadExactly(buffer);
            endsMidLine = size > 0 && buffer[^1] != (byte)'\n';
            var end = buffer.Length;
            while (end > 0 && buffer[end - 1] == (byte)'\n')
            {
                end--;
            }

            if (end == 0)
            {
                if (size == length)
                {
                    return Genesis;
                }

                continue;
            }

            var start = Array.LastIndexOf(buffer, (byte)'\n', Math.Max(0, end - 1)) + 1;
            if (start > 0 || size == length)
            {
                return LineSha256(buffer.AsSpan(start, end - start));
            }
        }
    }

    private byte[] ReadShared()
    {
        using var stream = Open(FileMode.Open, FileAccess.Read);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Cuts a torn tail (a last line that does not parse, with or without its newline) and ends a complete last line that lost only its newline. Returns the bytes dropped.</summary>
    public int Repair()
    {
        if (!File.Exists(Path))
        {
            return 0;
        }

        byte[] bytes;
        using (var read = Open(FileMode.Open, FileAccess.Read))
        {
            bytes = new byte[read.Length];
            read.ReadExactly(bytes);
        }

        if (bytes.Length > 0 && bytes[^1] != (byte)'\n')
        {
            // A complete entry that lost only its newline is an entry (ReadAll shows it): keep it and end the line,
            // so the next append starts a line of its own.
            var tailStart = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            if (Parses(bytes.AsSpan(tailStart)))
            {
                using var append = Open(FileMode.Append, FileAccess.Write);
                append.WriteByte((byte)'\n');
                append.Flush(flushToDisk: true);
                return Repair();
            }
        }

        var goodLength = bytes.Length;
        while (goodLength > 0)
        {
            if (bytes[goodLength - 1] != (byte)'\n')
            {
                goodLength = Array.LastIndexOf(bytes, (byte)'\n', goodLength - 1) + 1;
                continue;
            }

            var lineStart = goodLength <= 1 ? 0 : Array.LastIndexOf(bytes, (byte)'\n', goodLength - 2) + 1;
            if (Parses(bytes.AsSpan(lineStart, goodLength - 1 - lineStart)))
            {
                break;
            }

            goodLength = lineStart;
        }

        var dropped = bytes.Length - goodLength;
        if (dropped > 0)
        {
            using var stream = Open(FileMode.Open, FileAccess.Write);
            stream.SetLength(goodLength);
            stream.Flush(flushToDisk: true);
        }

        return dropped;
    }

    public IReadOnlyList<JournalEntry> ReadAll()
    {
        var entries = new List<JournalEntry>();
        if (!File.Exists(Path))
        {
            return entries;
        }

        using var reader = new StreamReader(Open(FileMode.Open, FileAccess.Read), Encoding.UTF8);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                entries.Add(JsonSerializer.Deserialize(line, StorageJsonContext.Default.JournalEntry)
                    ?? throw new JsonException("null entry"));
            }
            catch (JsonException error)
            {
                if (reader.Peek() < 0)
                {
                    // A torn last line of a writer that is still running or just died: the next start repairs it.
                    break;
                }

                throw new PlanRefusedException(
                    RefusalCodes.JournalCorrupt,
                    $"Line {number} of the journal {Path} is not valid JSON ({error.Message}). Restore the file from git or remove that line; every other line is intact.");
            }
        }

        return entries;
    }

    /// <summary>Every open refuses a link: a journal.jsonl linked out of the repository is never truncated or appended to.</summary>
    private FileStream Open(FileMode mode, FileAccess access) => NoFollowFile.Open(Path, mode, access, $"The journal {Path}");

    private static bool Parses(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, StorageJsonContext.Default.JournalEntry) is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
