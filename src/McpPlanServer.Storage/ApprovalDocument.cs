using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>An approval as stored: whether its channel is a person's is derived on reading, never stored.</summary>
internal sealed class ApprovalDocument
{
    public string TextSha256 { get; set; } = string.Empty;

    public int TextRevision { get; set; }

    public string Approver { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public string? BaseCommit { get; set; }

    public string Channel { get; set; } = string.Empty;

    public ApprovalEvidence? Evidence { get; set; }

    public string? AcceptanceSha256 { get; set; }

    public string? AcceptanceCommit { get; set; }

    public IReadOnlyList<string>? PinnedFiles { get; set; }

    public Approval ToApproval() => new(TextSha256, TextRevision, Approver, At, BaseCommit, Channel, Evidence)
    {
        AcceptanceSha256 = AcceptanceSha256,
        AcceptanceCommit = AcceptanceCommit,
        PinnedFiles = PinnedFiles ?? [],
    };

    public static ApprovalDocument From(Approval approval) => new()
    {
        TextSha256 = approval.TextSha256,
        TextRevision = approval.TextRevision,
        Approver = approval.Approver,
        At = approval.At,
        BaseCommit = approval.BaseCommit,
        Channel = approval.Channel,
        Evidence = approval.Evidence,
        AcceptanceSha256 = approval.AcceptanceSha256,
        AcceptanceCommit = approval.AcceptanceCommit,
        PinnedFiles = approval.PinnedFiles.Count == 0 ? null : approval.PinnedFiles,
    };
}
