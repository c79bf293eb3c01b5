namespace McpPlanServer.Core.Records;

/// <summary>
/// One line of the append-only journal: every transition and every refused call, with who asked and why it was refused.
/// Arguments are never stored, only a digest of them, so plan text in the journal cannot leak or grow it.
/// </summary>
public sealed record JournalEntry
{
    public required DateTimeOffset At { get; init; }

    /// <summary>planner, implementer, observer or owner.</summary>
    public required string Actor { get; init; }

    /// <summary>The operation, such as write_plan, approve, commit_step.</summary>
    public required string Action { get; init; }

    public string? PlanId { get; init; }

    /// <summary>ok or refused.</summary>
    public required string Outcome { get; init; }

    /// <summary>The refusal code and message, or a short note of what changed.</summary>
    public string? Detail { get; init; }

    /// <summary>Where a person's decision came from (<c>cli</c>, <c>board</c>, <c>elicitation</c>); null for tool calls.</summary>
    public string? Channel { get; init; }

    /// <summary>The record revision after a successful change.</summary>
    public long? Revision { get; init; }

    /// <summary>SHA-256 of the call's arguments (hex, first 16 characters) for refused tool calls.</summary>
    public string? ArgumentsDigest { get; init; }

    /// <summary>The process that wrote the line, to tell two servers apart.</summary>
    public int ProcessId { get; init; }

    /// <summary>SHA-256 (hex) of the journal's previous line as stored (without its newline), or of nothing (64 zeros)
    /// for the first line: the chain that shows a line changed, removed or added by hand. Null on lines written
    /// before the chain began (legacy), which are accepted up to the first chained line.</summary>
    public string? PreviousSha256 { get; init; }

    /// <summary>SHA-256 (hex) of the record file this change wrote: binds the record's revision to this line.</summary>
    public string? RecordSha256 { get; init; }

    /// <summary>On a person's <c>repair</c>: the last line whose break the person has looked at and accepted.</summary>
    public int? RepairedThrough { get; init; }
}
