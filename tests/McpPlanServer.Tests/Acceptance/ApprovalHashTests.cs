using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Tests.Acceptance;

public sealed class ApprovalHashTests
{
    private const string TextSha = "1111111111111111111111111111111111111111111111111111111111111111";

    private static AcceptanceFile File(string path, string content) => new(path, content, ApprovalHash.ContentSha256(content));

    [Fact]
    public void Without_files_the_hash_is_the_text_hash() => Assert.Equal(TextSha, ApprovalHash.Compute(TextSha, []));

    [Fact]
    public void With_files_it_is_the_documented_construction()
    {
        var a = File("tests/a_test.sh", "echo a\n");
        var b = File("tests/b_test.sh", "echo b\n");
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"mcpplan-approval-v1\ntext {TextSha}\nfile {Sha("echo a\n")} tests/a_test.sh\nfile {Sha("echo b\n")} tests/b_test.sh\n")));

        Assert.Equal(expected, ApprovalHash.Compute(TextSha, [b, a]));
    }

    [Fact]
    public void A_change_to_the_text_or_any_file_or_the_set_gives_another_hash()
    {
        var a = File("tests/a_test.sh", "echo a\n");
        var b = File("tests/b_test.sh", "echo b\n");
        var hashes = new[]
        {
            ApprovalHash.Compute(TextSha, [a, b]),
            ApprovalHash.Compute(TextSha.Replace('1', '2'), [a, b]),
            ApprovalHash.Compute(TextSha, [a, File("tests/b_test.sh", "echo B\n")]),
            ApprovalHash.Compute(TextSha, [a]),
            ApprovalHash.Compute(TextSha, [a, File("tests/c_test.sh", "echo b\n")]),
        };

        Assert.Equal(hashes.Length, hashes.Distinct(StringComparer.Ordinal).Count());
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
