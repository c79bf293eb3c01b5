using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>
/// A plan record's file shape: only what is stored, never what is derived from it (state, steps done, the last review,
/// open findings and blockers, an approval's channel verdict, a blocker's openness, a verification's pass). Files
/// written before this document carried those derived members too; they are ignored on reading, so such files still read.
/// </summary>
internal sealed class RecordDocument
{
    public string? Id { get; set; }

    public long Revision { get; set; }

    public int TextRevision { get; set; }

    public string? TextSha256 { get; set; }

    public DateTimeOffset TextWrittenAt { get; set; }

    public string? Title { get; set; }

    public int StepCount { get; set; }

    public List<string>? DependsOn { get; set; }

    public PlanFolder Folder { get; set; }

    public PlanStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public ApprovalDocument? Approval { get; set; }

    public List<StepProgress>? Steps { get; set; }

    public List<ReviewRecord>? Reviews { get; set; }

    public List<BlockerDocument>? Blockers { get; set; }

    public VerificationDocument? LastVerification { get; set; }

    public AcceptanceResult? LastAcceptance { get; set; }

    public string? HandedInCommit { get; set; }

    public CommitIntent? PendingCommit { get; set; }

    public string? ArchivedTextSha256 { get; set; }

    public string? IntegratedCommit { get; set; }

    public string? OwnerNote { get; set; }

    public List<TimelineEntry>? Timeline { get; set; }

    /// <summary>The record; a field a hand edit removed is a JSON error like any other malformed content.</summary>
    public PlanRecord ToRecord() => new()
    {
        Id = Id ?? throw Missing("id"),
        Revision = Revision,
        TextRevision = TextRevision,
        TextSha256 = TextSha256 ?? throw Missing("textSha256"),
        TextWrittenAt = TextWrittenAt,
        Title = Title,
        StepCount = StepCount,
        DependsOn = DependsOn ?? [],
        Folder = Folder,
        Status = Status,
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        Approval = Approval?.ToApproval(),
        Steps = Steps ?? [],
        Reviews = Reviews ?? [],
        Blockers = [.. (Blockers ?? []).Select(blocker => blocker.ToBlocker())],
        LastVerification = LastVerification?.ToResult(),
        LastAcceptance = LastAcceptance,
        HandedInCommit = HandedInCommit,
        PendingCommit = PendingCommit,
        ArchivedTextSha256 = ArchivedTextSha256,
        IntegratedCommit = IntegratedCommit,
        OwnerNote = OwnerNote,
        Timeline = Timeline ?? [],
    };

    public static RecordDocument From(PlanRecord record) => new()
    {
        Id = record.Id,
        Revision = record.Revision,
        TextRevision = record.TextRevision,
        TextSha256 = record.TextSha256,
        TextWrittenAt = record.TextWrittenAt,
        Title = record.Title,
        StepCount = record.StepCount,
        DependsOn = [.. record.DependsOn],
        Folder = record.Folder,
        Status = record.Status,
        CreatedAt = record.CreatedAt,
        UpdatedAt = record.UpdatedAt,
        Approval = record.Approval is { } approval ? ApprovalDocument.From(approval) : null,
        Steps = [.. record.Steps],
        Reviews = [.. record.Reviews],
        Blockers = [.. record.Blockers.Select(BlockerDocument.From)],
        LastVerification = record.LastVerification is { } verification ? VerificationDocument.From(verification) : null,
        LastAcceptance = record.LastAcceptance,
        HandedInCommit = record.HandedInCommit,
        PendingCommit = record.PendingCommit,
        ArchivedTextSha256 = record.ArchivedTextSha256,
        IntegratedCommit = record.IntegratedCommit,
        OwnerNote = record.OwnerNote,
        Timeline = [.. record.Timeline],
    };

    private static JsonException Missing(string field) => new($"JSON deserialization for type 'PlanRecord' was missing required property '{field}'.");
}
