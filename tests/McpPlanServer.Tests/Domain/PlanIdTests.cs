using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Domain;

public sealed class PlanIdTests
{
    [Theory]
    [InlineData("auth-jwt")]
    [InlineData("a")]
    [InlineData("x1")]
    [InlineData("2026-q4-export")]
    public void Accepts_slugs(string value) => Assert.Equal(value, PlanId.Parse(value).Value);

    [Theory]
    [InlineData("../x", "dot")]
    [InlineData("/abs", "path separator")]
    [InlineData("a/b", "path separator")]
    [InlineData("a\\b", "path separator")]
    [InlineData("", "empty")]
    [InlineData("x\0y", "control character")]
    [InlineData("x\ny", "control character")]
    [InlineData("plan.", "dot")]
    [InlineData("con", "reserved device name")]
    [InlineData("Auth", "upper-case")]
    [InlineData("caf\u00e9", "non-ASCII")]
    [InlineData("cafe\u0301", "non-ASCII")]
    [InlineData("-x", "hyphen")]
    [InlineData("x-", "hyphen")]
    [InlineData("a--b", "hyphen")]
    [InlineData("a b", "space")]
    public void Refuses_with_a_reason(string value, string reason)
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => PlanId.Parse(value));
        Assert.Equal("invalid_plan_id", refusal.Code);
        Assert.Contains(reason, refusal.Message);
        Assert.Matches("auth-jwt|con-plan", refusal.Message); // every refusal shows a valid id to use instead
    }

    [Fact]
    public void Refuses_overlong_ids_naming_the_limit()
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => PlanId.Parse(new string('a', 300)));
        Assert.Contains("300", refusal.Message);
        Assert.Contains("64", refusal.Message);
    }

    [Fact]
    public void Refusal_echoes_control_characters_escaped()
    {
        var refusal = Assert.Throws<PlanRefusedException>(() => PlanId.Parse("a\u001b[31mred"));
        Assert.DoesNotContain("\u001b", refusal.Message);
        Assert.Contains("U+001B", refusal.Message);
    }
}
