using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Where plans, records and the journal live. Writes are atomic; callers hold <see cref="AcquireLock"/> around
/// every read-modify-write so that the planner's and implementer's processes never interleave.
/// </summary>
public interface IPlanStore
{
    /// <summary>The plans root relative to the repository, with forward slashes (for messages and exclusions).</summary>
    string PlansRoot { get; }

    /// <summary>Takes the one cross-process lock; waits a bounded time, then refuses with code <c>busy</c>.</summary>
    IDisposable AcquireLock();

    /// <summary>
    /// Lets go of the lock of the change in progress while its holder does slow work outside the store (a git commit, a
    /// push); disposing the result takes the lock again. A store whose lock is one database transaction (PostgreSQL)
    /// commits what the change wrote so far and starts a new one, so other machines' changes never wait behind git; the
    /// caller checks again afterwards what it relies on (its claim's fence; the record's revision is checked by every
    /// write). The default keeps the lock held (the file store's lock file): nothing changes there.
    /// </summary>
    IDisposable ReleaseDuring() => LockKept.Instance;

    /// <summary>Every plan markdown in the state folders (a plan found in two folders is listed twice; <see cref="Locate"/> refuses it). Links are skipped.</summary>
    IReadOnlyList<PlanLocation> ListPlans();

    /// <summary>
    /// Which plans exist, by id and folder (links skipped, as in <see cref="ListPlans"/>): what a listing orders and
    /// pages by. A store may leave out each file's time and answer from a listing it proves unchanged; the default
    /// lists afresh with times.
    /// </summary>
    IReadOnlyList<ListedPlan> ListPlanNames() => [.. ListPlans().Select(location => new ListedPlan(location.Id, location.Folder, location.LastWriteTime))];

    PlanLocation? Locate(PlanId id);

    /// <summary>Reads and validates the plan text (UTF-8, size limit).</summary>
    string ReadText(PlanLocation location);

    PlanRecord? ReadRecord(PlanId id);

    /// <summary>
    /// The record as the latest listing read it, when <paramref name="stamp"/> is that listing's stamp of the plan: one
    /// snapshot with the stamp, no round trip of its own. A store that reads no records with its listing (the default)
    /// reads it now, as <see cref="ReadRecord"/>.
    /// </summary>
    PlanRecord? ReadListedRecord(PlanId id, PlanFileStamp stamp) => ReadRecord(id);

    /// <summary>
    /// The plan's location, text and record together, refusing as <see cref="Locate"/>, <see cref="ReadText"/> and
    /// <see cref="ReadRecord"/> do; null when there is no such plan. Every tool reads its plan this way, so a store whose
    /// reads are round trips (PostgreSQL) answers in one; the default makes the three reads in that order.
    /// </summary>
    StoredPlan? ReadPlan(PlanId id)
    {
        if (Locate(id) is not { } location)
        {
            return null;
        }

        var text = ReadText(location);
        return new StoredPlan(location, text, ReadRecord(id));
    }

    /// <summary>
    /// Every listed plan's record (null: the plan has none), for a pass over all plans that decides from the records which
    /// plans need more (the start-up reconciliation): read together where the store can (PostgreSQL: a few queries of many
    /// rows instead of a round trip per plan) and handed out one at a time, so none is kept. A record that cannot be read
    /// is left out: the caller reads that plan alone and meets the refusal there. The default reads each record.
    /// </summary>
    IEnumerable<(PlanId Id, PlanRecord? Record)> ReadEveryRecord()
    {
        foreach (var id in ListPlans().Select(location => location.Id).Distinct())
        {
            PlanRecord? record;
            try
            {
                record = ReadRecord(id);
            }
            catch (PlanRefusedException)
            {
                continue;
            }

            yield return (id, record);
        }
    }

    /// <summary>The text's and record's size and last-write time, for <see cref="PlanSummaryIndex"/>; null (read afresh) for a link or a missing file.</summary>
    PlanFileStamp? Stamp(PlanLocation location) => null;

    /// <summary>Writes the text atomically and returns the file's last-write time as stored.</summary>
    DateTimeOffset WriteText(PlanId id, PlanFolder folder, string text);

    /// <summary>Moves the markdown between state folders with one rename (the last-write time is kept); refuses if the target exists.</summary>
    void Move(PlanId id, PlanFolder from, PlanFolder to);

    /// <summary>
    /// Writes the record bound to its journal entry: the entry, carrying the record's SHA-256, is appended first, then
    /// the record. Refuses with <c>stale_revision</c> unless the stored revision is <c>record.Revision - 1</c>.
    /// </summary>
    void WriteRecord(PlanRecord record, JournalEntry entry);

    /// <summary>
    /// What was not written by mcpplan: journal lines that break the chain (for this plan, or for every plan when
    /// <paramref name="id"/> is null) and the plan's record when its content is not the one its journal line recorded.
    /// Breaks a person accepted with <c>repair</c> are left out.
    /// </summary>
    IReadOnlyList<TamperFinding> CheckIntegrity(PlanId? id);

    void WriteReviewMarkdown(PlanId id, int iteration, string markdown);

    /// <summary>The acceptance test files kept with the plan (issue 20); empty when none were written.</summary>
    AcceptanceSet ReadAcceptance(PlanId id) => AcceptanceSet.Empty;

    /// <summary>Replaces the plan's acceptance test files atomically (one file beside the record). Callers hold the lock.</summary>
    void WriteAcceptance(PlanId id, AcceptanceSet set) =>
        throw new PlanRefusedException("acceptance_unsupported", "This plan store cannot keep acceptance test files. Use the file store (the default).");

    /// <summary>Edits clients' hooks saw only after they happened (<see cref="Evidence.ObservedEdit"/>), oldest first; a store that keeps none has none.</summary>
    IReadOnlyList<Evidence.ObservedEdit> ReadObservedEdits() => [];

    /// <summary>Records an edit a hook saw after the fact; the caller holds <see cref="AcquireLock"/>.</summary>
    void AppendObservedEdit(Evidence.ObservedEdit edit) =>
        throw new PlanRefusedException("observed_edits_unsupported", "This plan store cannot record edits hooks saw after the fact. Use the file store (the default).");

    void AppendJournal(JournalEntry entry);

    /// <summary>
    /// Appends a line that goes with no other change (a refused call's line) as a change of its own. The default takes
    /// <see cref="AcquireLock"/> around <see cref="AppendJournal"/>; a database store may append it in one round trip.
    /// </summary>
    void AppendJournalAlone(JournalEntry entry)
    {
        using (AcquireLock())
        {
            AppendJournal(entry);
        }
    }

    /// <summary>The claims and the fencing counter (empty when none was ever written). Callers hold the lock to change them.</summary>
    ClaimBook ReadClaims();

    /// <summary>Replaces the claims atomically.</summary>
    void WriteClaims(ClaimBook book);

    /// <summary>
    /// Claims changed one plan at a time without the lock (<see cref="IClaimRows"/>), where the store can; null (the
    /// default, the file store) when every claim is a change under <see cref="AcquireLock"/>.
    /// </summary>
    IClaimRows? ClaimRows => null;

    IReadOnlyList<JournalEntry> ReadJournal();

    /// <summary>
    /// Links where the store expects real files and folders (state folders, records, journal, lock and, with
    /// <paramref name="includePlanFiles"/>, plan files): each one ignored or refused, named here with its repair.
    /// </summary>
    IReadOnlyList<BadFile> LinkProblems(bool includePlanFiles);
}
