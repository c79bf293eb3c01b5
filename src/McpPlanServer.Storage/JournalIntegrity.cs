using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// What was not written by mcpplan, for any store: breaks of the journal's chain (less those a person accepted with
/// <c>repair</c>) and records whose bytes are not the ones their revision's journal line recorded.
/// </summary>
public static class JournalIntegrity
{
    /// <param name="scan">The journal as stored.</param>
    /// <param name="id">One plan, or null for every plan.</param>
    /// <param name="readRecord">The stored record's bytes and content, or null when the plan has none.</param>
    /// <param name="shown">How messages name a plan's record (a path, or a row).</param>
    public static IReadOnlyList<TamperFinding> Check(JournalScan scan, PlanId? id, Func<PlanId, (byte[] Bytes, PlanRecord Record)?> readRecord, Func<PlanId, string> shown)
    {
        var findings = new List<TamperFinding>();
        var repairs = scan.Lines.Where(line => line.Entry.Action == "repair" && line.Entry.RepairedThrough is not null).ToList();
        foreach (var broken in scan.Breaks)
        {
            var plan = broken.Entry.PlanId;
            if ((id is not null && plan is not null && plan != id.Value.Value)
                || repairs.Any(repair => repair.Number > broken.Number && repair.Entry.RepairedThrough >= broken.Number && (plan is null || repair.Entry.PlanId == plan)))
            {
                continue;
            }

            var what = broken.Entry.PreviousSha256 is null
                ? "has no link to the line before it, though the journal's chain began earlier: it was added by hand (or by an mcpplan older than the chain)"
                : "does not follow the line before it: a line up to here was changed, removed or inserted by hand";
            findings.Add(new TamperFinding(plan, $"journal line {broken.Number} ({broken.Entry.Actor} {broken.Entry.Action} {plan ?? "-"} {broken.Entry.Outcome}) {what}", broken.Number));
        }

        foreach (var planId in id is { } one ? [one.Value] : scan.Lines.Select(line => line.Entry.PlanId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var plan = PlanId.Parse(planId);
            if (readRecord(plan) is { } stored && RecordBinding(plan, stored.Bytes, stored.Record, scan, shown(plan)) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    /// <summary>The record must be the one its revision's journal line recorded; records from before binding are legacy.</summary>
    private static TamperFinding? RecordBinding(PlanId id, byte[] bytes, PlanRecord record, JournalScan scan, string relative)
    {
        var bound = scan.Lines.Where(line => line.Entry.PlanId == id.Value && line.Entry.RecordSha256 is not null && line.Entry.Outcome == "ok").ToList();
        var own = bound.LastOrDefault(line => line.Entry.Revision == record.Revision);
        if (own is null)
        {
            // A legacy record (written before binding) is accepted while no line bound a record to this plan, or only the
            // next revision's line exists: a change whose record write a crash lost.
            var newest = bound.Count == 0 ? 0 : bound.Max(line => line.Entry.Revision ?? 0);
            return bound.All(line => line.Entry.Revision == record.Revision + 1)
                ? null
                : new TamperFinding(id.Value, $"{relative} is at revision {record.Revision}, which no journal line recorded (the journal's latest is revision {newest}): the record was edited or replaced by hand", RecordChanged: true);
        }

        return own.Entry.RecordSha256 == JsonlJournal.LineSha256(bytes)
            ? null
            : new TamperFinding(id.Value, $"{relative} (revision {record.Revision}) is not the content journal line {own.Number} recorded: the record was edited by hand{(record.Approval is null ? string.Empty : " (its approval cannot be trusted)")}", RecordChanged: true);
    }
}
