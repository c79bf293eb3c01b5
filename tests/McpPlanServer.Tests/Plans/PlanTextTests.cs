using System.Text;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Plans;

public sealed class PlanTextTests
{
    [Fact]
    public void Invalid_utf8_is_refused_naming_the_offset()
    {
        var bytes = Encoding.UTF8.GetBytes("# Plan: ok\n").Concat(new byte[] { 0xC3, 0x28 }).ToArray();
        var refusal = Assert.Throws<PlanRefusedException>(() => PlanText.Decode(bytes, 1000));
        Assert.Equal("invalid_utf8", refusal.Code);
        Assert.Contains("offset 11", refusal.Message);
    }

    [Fact]
    public void Oversized_text_is_refused_naming_the_limit()
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => PlanText.CheckText(new string('x', 2_000), 1_024));
        Assert.Equal("plan_too_large", refusal.Code);
        Assert.Contains("1,024", refusal.Message);
        Assert.Contains("2,000", refusal.Message);
    }

    [Fact]
    public void A_nul_character_is_refused() =>
        Assert.Equal("invalid_text", Assert.Throws<PlanRefusedException>(() => PlanText.CheckText("a\0b", 100)).Code);

    [Fact]
    public void The_hash_is_the_sha256_of_the_utf8_text() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", PlanText.Sha256Hex("abc"));
}
