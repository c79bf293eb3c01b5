namespace McpPlanServer.Core.Workflow;

/// <summary>
/// What a plan's summary was computed from, as the filesystem tells it without reading a byte: the text's and the
/// record's size and last-write time (100 ns ticks). Any write, atomic rename, hand edit or deletion changes it.
/// </summary>
public sealed record PlanFileStamp(long TextLength, long TextWrittenTicks, long RecordLength, long RecordWrittenTicks);
