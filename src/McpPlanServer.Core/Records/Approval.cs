namespace McpPlanServer.Core.Records;

/// <summary>The person's approval, bound to the exact text approved: any later change to the text voids it.</summary>
public sealed record Approval(
    string TextSha256,
    int TextRevision,
    string Approver,
    DateTimeOffset At,
    string? BaseCommit,
    string Channel,
    ApprovalEvidence? Evidence = null)
{
    /// <summary>The hash over text and acceptance test files (<see cref="Acceptance.ApprovalHash"/>); null when the plan had none.</summary>
    public string? AcceptanceSha256 { get; init; }

    /// <summary>The commit that pinned the acceptance test files in the repository (trailers Plan-Id, Plan-Acceptance).</summary>
    public string? AcceptanceCommit { get; init; }

    /// <summary>The paths of the pinned acceptance test files.</summary>
    public IReadOnlyList<string> PinnedFiles { get; init; } = [];

    /// <summary>The hash the person approved: over text and acceptance files, or the text's alone.</summary>
    public string ApprovedSha256 => AcceptanceSha256 ?? TextSha256;

    /// <summary>
    /// True for the board, and for the CLI run from a terminal with no agent marker in sight. Everything else (the
    /// in-client form, the CLI from a script, approvals recorded before evidence was kept) is flagged on every view.
    /// </summary>
    public bool IsPersonChannel =>
        Channel == ApprovalChannels.Board
        || (Channel == ApprovalChannels.Cli && Evidence is { Terminal: true, MarkersSeen.Count: 0 });

    /// <summary>Why this approval is not a person's channel, or null when it is.</summary>
    public string? ChannelWarning => IsPersonChannel ? null : Channel switch
    {
        ApprovalChannels.Elicitation => $"given through the client's approval form ({Evidence?.ClientName ?? "unnamed client"}): the client's word, not proof of a person",
        ApprovalChannels.Cli when Evidence is null => "recorded without channel evidence (before mcpplan kept it)",
        ApprovalChannels.Cli when Evidence.MarkersSeen.Count > 0 => $"the CLI saw agent markers ({string.Join(", ", Evidence.MarkersSeen)})",
        ApprovalChannels.Cli => "the CLI ran without a terminal (a script or another program, not a person typing)",
        _ => $"unknown channel '{Channel}'",
    };
}
