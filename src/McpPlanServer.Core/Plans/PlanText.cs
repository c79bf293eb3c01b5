using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Plans;

/// <summary>Plan text at the boundary: strict UTF-8, a size limit, no NUL characters, and its SHA-256.</summary>
public static class PlanText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Decodes bytes read from disk, refusing oversized or invalid UTF-8 input with where and how to fix it.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            throw TooLarge(bytes.Length, maxBytes);
        }

        try
        {
            var text = StrictUtf8.GetString(bytes);
            CheckText(text, maxBytes);
            return text;
        }
        catch (DecoderFallbackException error)
        {
            var offset = error.Index >= 0 ? error.Index : FirstInvalidOffset(bytes);
            throw new PlanRefusedException(RefusalCodes.InvalidUtf8, $"The plan is not valid UTF-8 (first bad byte at offset {offset}). Save it as UTF-8 and retry.");
        }
    }

    /// <summary>Checks text that arrived as a string: its UTF-8 size and the absence of NUL characters.</summary>
    public static void CheckText(string text, int maxBytes)
    {
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > maxBytes)
        {
            throw TooLarge(size, maxBytes);
        }

        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            throw new PlanRefusedException(RefusalCodes.InvalidText, $"The plan contains a NUL character (at character {nul}). Plans are plain markdown text; remove it.");
        }
    }

    private static PlanRefusedException TooLarge(int size, int maxBytes) =>
        new(RefusalCodes.PlanTooLarge, $"The plan is {size:N0} bytes; the limit is {maxBytes:N0} bytes (maxPlanBytes in .claude/mcpplan.json). Split it into smaller plans; nothing was written.");

    private static int FirstInvalidOffset(ReadOnlySpan<byte> bytes)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? -1 : read;
    }
}
