using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>A commit prefix names one step commit or is refused: too short, not hex, unknown, or shared by two commits.</summary>
public sealed class CommitPrefixTests
{
    private const string First = "abcdef1234567890abcdef1234567890abcdef12";
    private const string Second = "abcdef1999999999999999999999999999999999";

    [Fact]
    public void A_prefix_two_step_commits_share_is_refused_and_one_more_digit_resolves_it()
    {
        var shared = Assert.Throws<PlanRefusedException>(() => CommitPrefix.Resolve("ABCDEF1", [First, Second]));
        Assert.Equal("ambiguous_commit", shared.Code);
        Assert.Contains("matches 2 step commits", shared.Message);

        Assert.Equal(First, CommitPrefix.Resolve("abcdef12", [First, Second, First]));
        Assert.Equal(Second, CommitPrefix.Resolve(" abcdef19 ", [First, Second]));
    }

    [Fact]
    public void Without_step_commits_the_refusal_says_to_ask_without_a_commit()
    {
        var none = Assert.Throws<PlanRefusedException>(() => CommitPrefix.Resolve("abcdef1", []));

        Assert.Equal("unknown_commit", none.Code);
        Assert.Contains("no step commits yet", none.Message);
    }
}
