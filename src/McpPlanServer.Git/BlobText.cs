using LibGit2Sharp;

namespace McpPlanServer.Git;

/// <summary>A blob's text, or a binary marker when it has a NUL byte in its first 8 KB (git's own heuristic).</summary>
internal static class BlobText
{
    public static (string Text, bool Binary) Read(Blob blob)
    {
        using var stream = blob.GetContentStream();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (bytes[..Math.Min(bytes.Length, 8000)].Contains((byte)0))
        {
            return (string.Empty, true);
        }

        return (System.Text.Encoding.UTF8.GetString(bytes), false);
    }
}
