using System.Text.Json;
using System.Text;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// The append-only journal, one JSON object per line. Each entry is written with a single write call and flushed
/// to disk, under the caller's lock. A crash can leave at most a torn last line, which <see cref="Repair"/> cuts
/// off at the next start; a corrupt line anywhere else is reported, never skipped. A journal that is a symbolic link is
/// never opened (no repair, no append): it is refused with <c>symlink_refused</c>.
/// </summary>
public sealed class JsonlJournal(string path)
{
    public string Path { get; } = path;

    public void Append(JournalEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, StorageJsonContext.Default.JournalEntry);
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        try
        {
            using var stream = Open(FileMode.Append, FileAccess.Write);
            if (FaultInjection.Enabled)
            {
                stream.Write(buffer, 0, buffer.Length / 2);
                stream.Flush(flushToDisk: true);
                FaultInjection.Hit("journal:torn-append");
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
                    "journal_corrupt",
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
