using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// A store that changes one plan's claim as one short change of that claim alone, without the store's repository-wide
/// lock (PostgreSQL: a conditional update of the claim's row on the version read, the fencing counter and the journal
/// line in the same transaction). Other changes (a <c>commit_step</c>'s record, a listing) then never make a claim wait,
/// and a claim never makes them wait.
/// </summary>
public interface IClaimRows
{
    /// <summary>
    /// Replaces <paramref name="planId"/>'s claim, which must still be exactly <paramref name="expected"/> as read by
    /// <see cref="IPlanStore.ReadClaims"/> (null: the plan had none), with <paramref name="next"/> (null: none), and
    /// returns what was written. A <paramref name="next"/> with <see cref="Claim.Fence"/> 0 is a new claim: it gets the
    /// next fencing number from the counter, which only grows. <paramref name="line"/>, when given, is the journal line of
    /// the change, built from the claim written (or, for a removal, the one removed) and appended in the same change.
    /// Refuses <c>claim_conflict</c>, with nothing changed, when the claim changed since it was read.
    /// </summary>
    Claim? Swap(string planId, Claim? expected, Claim? next, Func<Claim, JournalEntry>? line);
}
