namespace McpPlanServer.Core.Workflow;

/// <summary>
/// What a plan's summary was computed from, as the filesystem tells it without reading a byte: the text's and the
/// record's size and last-write time (100 ns ticks). Any write, atomic rename, hand edit or deletion changes it.
/// </summary>
public sealed record PlanFileStamp(long TextLength, long TextWrittenTicks, long RecordLength, long RecordWrittenTicks)
{
    /// <summary>True when <paramref name="other"/> stamps the same text (its record may differ): for what is read from the text alone.</summary>
    public bool SameText(PlanFileStamp? other) => other is not null && other.TextLength == TextLength && other.TextWrittenTicks == TextWrittenTicks;
}
