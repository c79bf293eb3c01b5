using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Security;

public sealed class ApprovalChannelTests
{
    private static Approval Via(string channel, ApprovalEvidence? evidence) => new("abc", 1, "Ada", DateTimeOffset.UnixEpoch, null, channel, evidence);

    [Fact]
    public void Only_the_cli_from_a_terminal_without_markers_and_the_board_are_a_persons_channel()
    {
        Assert.True(Via(ApprovalChannels.Cli, new ApprovalEvidence(true, ["bash"], [])).IsPersonChannel);
        Assert.True(Via(ApprovalChannels.Board, null).IsPersonChannel);
        Assert.Null(Via(ApprovalChannels.Board, null).ChannelWarning);

        Assert.Contains("without a terminal", Via(ApprovalChannels.Cli, new ApprovalEvidence(false, ["sh"], [])).ChannelWarning);
        Assert.Contains("CLAUDECODE", Via(ApprovalChannels.Cli, new ApprovalEvidence(true, ["bash"], ["CLAUDECODE"])).ChannelWarning);
        Assert.Contains("without channel evidence", Via(ApprovalChannels.Cli, null).ChannelWarning);
        Assert.Contains("the client's word", Via(ApprovalChannels.Elicitation, new ApprovalEvidence(false, [], [], "scripted")).ChannelWarning);
        Assert.Contains("scripted", Via(ApprovalChannels.Elicitation, new ApprovalEvidence(false, [], [], "scripted")).ChannelWarning);
    }

    [Theory]
    [InlineData("Low", RiskLevel.Low)]
    [InlineData("medium — touches the login form", RiskLevel.Medium)]
    [InlineData("HIGH (payments)", RiskLevel.High)]
    [InlineData("Medium-High", RiskLevel.Medium)]
    [InlineData("unknown", null)]
    [InlineData(null, null)]
    [InlineData("3", null)]
    public void The_risk_level_is_the_first_word_of_the_plans_line(string? stated, RiskLevel? expected) =>
        Assert.Equal(expected, PlanWorkflow.ParseRisk(stated));
}
