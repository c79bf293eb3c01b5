using System.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Testing;

/// <summary>
/// A store that forwards every call and adds up how often each method ran and how long it took: the Stopwatch
/// breakdown of where a use case spends its time inside the store versus in the workflow around it (bench), and how
/// often a use case takes the lock or reads (tests).
/// </summary>
public sealed class TimedPlanStore(IPlanStore inner) : IPlanStore
{
    private readonly Dictionary<string, (int Calls, double Milliseconds)> totals = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, (int Calls, double Milliseconds)> Totals => totals;

    public string PlansRoot => inner.PlansRoot;

    public void Reset() => totals.Clear();

    public IDisposable AcquireLock() => Timed(nameof(AcquireLock), inner.AcquireLock);

    public IReadOnlyList<PlanLocation> ListPlans() => Timed(nameof(ListPlans), inner.ListPlans);

    public IReadOnlyList<ListedPlan> ListPlanNames() => Timed(nameof(ListPlanNames), inner.ListPlanNames);

    public PlanLocation? Locate(PlanId id) => Timed(nameof(Locate), () => inner.Locate(id));

    public string ReadText(PlanLocation location) => Timed(nameof(ReadText), () => inner.ReadText(location));

    public PlanRecord? ReadRecord(PlanId id) => Timed(nameof(ReadRecord), () => inner.ReadRecord(id));

    public PlanRecord? ReadListedRecord(PlanId id, PlanFileStamp stamp) => Timed(nameof(ReadListedRecord), () => inner.ReadListedRecord(id, stamp));

    public StoredPlan? ReadPlan(PlanId id) => Timed(nameof(ReadPlan), () => inner.ReadPlan(id));

    public IEnumerable<(PlanId Id, PlanRecord? Record)> ReadEveryRecord() => Timed(nameof(ReadEveryRecord), inner.ReadEveryRecord);

    public PlanFileStamp? Stamp(PlanLocation location) => Timed(nameof(Stamp), () => inner.Stamp(location));

    public DateTimeOffset WriteText(PlanId id, PlanFolder folder, string text) => Timed(nameof(WriteText), () => inner.WriteText(id, folder, text));

    public void Move(PlanId id, PlanFolder from, PlanFolder to) => Timed(nameof(Move), () => Done(() => inner.Move(id, from, to)));

    public void WriteRecord(PlanRecord record, JournalEntry entry) => Timed(nameof(WriteRecord), () => Done(() => inner.WriteRecord(record, entry)));

    public IReadOnlyList<TamperFinding> CheckIntegrity(PlanId? id) => Timed(nameof(CheckIntegrity), () => inner.CheckIntegrity(id));

    public void WriteReviewMarkdown(PlanId id, int iteration, string markdown) => Timed(nameof(WriteReviewMarkdown), () => Done(() => inner.WriteReviewMarkdown(id, iteration, markdown)));

    public AcceptanceSet ReadAcceptance(PlanId id) => Timed(nameof(ReadAcceptance), () => inner.ReadAcceptance(id));

    public void WriteAcceptance(PlanId id, AcceptanceSet set) => Timed(nameof(WriteAcceptance), () => Done(() => inner.WriteAcceptance(id, set)));

    public void AppendJournal(JournalEntry entry) => Timed(nameof(AppendJournal), () => Done(() => inner.AppendJournal(entry)));

    public ClaimBook ReadClaims() => Timed(nameof(ReadClaims), inner.ReadClaims);

    /// <summary>The inner store's claim rows (PostgreSQL), so a claim takes the same path as on the store itself.</summary>
    public IClaimRows? ClaimRows => inner.ClaimRows;

    public void WriteClaims(ClaimBook book) => Timed(nameof(WriteClaims), () => Done(() => inner.WriteClaims(book)));

    public IReadOnlyList<JournalEntry> ReadJournal() => Timed(nameof(ReadJournal), inner.ReadJournal);

    public IReadOnlyList<BadFile> LinkProblems(bool includePlanFiles) => Timed(nameof(LinkProblems), () => inner.LinkProblems(includePlanFiles));

    private static int Done(Action action)
    {
        action();
        return 0;
    }

    private T Timed<T>(string method, Func<T> call)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return call();
        }
        finally
        {
            var (calls, milliseconds) = totals.GetValueOrDefault(method);
            totals[method] = (calls + 1, milliseconds + watch.Elapsed.TotalMilliseconds);
        }
    }
}
