using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Acceptance;

/// <summary>
/// The one hash an approval covers. A plan without acceptance test files: the SHA-256 of its text, as always. A plan
/// with them: the SHA-256 (lowercase hex) of the UTF-8 bytes of
/// <code>
/// mcpplan-approval-v1\n
/// text {sha256 of the plan text}\n
/// file {sha256 of the file's bytes} {path}\n     (one line per file, ordered by path, ordinal)
/// </code>
/// Paths are validated repository paths (no control characters), so each line is unambiguous; the command is part of
/// the text. A change to the text or to any file's bytes, a file added or one dropped, gives another hash.
/// </summary>
public static class ApprovalHash
{
    public const string Version = "mcpplan-approval-v1";

    public static string Compute(string textSha256, IEnumerable<AcceptanceFile> files)
    {
        var ordered = files.OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            return textSha256;
        }

        var input = new StringBuilder().Append(Version).Append('\n').Append("text ").Append(textSha256).Append('\n');
        foreach (var file in ordered)
        {
            input.Append("file ").Append(file.Sha256).Append(' ').Append(file.Path).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input.ToString())));
    }

    public static string ContentSha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
