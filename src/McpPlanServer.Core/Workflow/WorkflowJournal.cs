using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The lock and the journal of every change: a change runs under the store's cross-process lock as check → change →
/// write → journal, and a refusal is journaled at the adapter's single catch point and leaves everything as it was.
/// </summary>
internal sealed class WorkflowJournal(IPlanStore store, TimeProvider clock)
{
    /// <summary>
    /// Runs one change under the lock. Every check precedes the first write, so a refusal leaves everything as it was;
    /// adapters journal refusals at their single catch point (<see cref="Refusal"/>) with the caller's details.
    /// </summary>
    public T Locked<T>(Func<T> change)
    {
        using (store.AcquireLock())
        {
            return change();
        }
    }

    /// <summary>Journals a refused call with who made it and why. Never throws: the refusal is what the caller must see.</summary>
    public void Refusal(Actor actor, string action, string? id, PlanRefusedException refusal, string? argumentsDigest, string? channel = null)
    {
        try
        {
            store.AppendJournalAlone(new JournalEntry
            {
                At = clock.GetUtcNow(),
                Actor = actor.ToName(),
                Action = action,
                PlanId = PlanId.TryParse(id, out var planId, out _) ? planId.Value : null,
                Outcome = "refused",
                Detail = $"{refusal.Code}: {Truncate(refusal.Message, 500)}",
                ArgumentsDigest = argumentsDigest,
                Channel = channel,
                ProcessId = Environment.ProcessId,
            });
        }
        catch (PlanRefusedException)
        {
            // The refusal itself is what the caller needs to see; a journal that cannot be written now
            // (busy, read-only, disk full) must not replace it with a different error.
        }
    }

    public static string DigestArguments(string argumentsJson)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(argumentsJson));
        return Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>Writes the next revision of the plan's record with a timeline entry and its journal line; returns the plan as saved.</summary>
    public LoadedPlan Save(LoadedPlan plan, Actor actor, string action, Func<PlanRecord, PlanRecord> change, string? detail, Func<JournalEntry, JournalEntry>? entryChange = null)
    {
        var now = clock.GetUtcNow();
        var changed = change(plan.Record) with
        {
            Revision = plan.Record.Revision + 1,
            UpdatedAt = now,
        };
        changed = changed with
        {
            Timeline = [.. changed.Timeline, new TimelineEntry(now, actor.ToName(), action, detail)],
        };
        var entry = Entry(actor, action, plan.Id.Value, "ok", detail, changed.Revision);
        store.WriteRecord(changed, entryChange is null ? entry : entryChange(entry));
        return plan with { Record = changed, Location = plan.Location with { Folder = changed.Folder } };
    }

    /// <summary>A person's action that concerns no plan, such as issuing an HTTP token.</summary>
    public void OwnerAction(string action, string detail) =>
        Locked(() =>
        {
            store.AppendJournal(new JournalEntry
            {
                At = clock.GetUtcNow(),
                Actor = Actor.Owner.ToName(),
                Action = action,
                Outcome = "ok",
                Detail = Truncate(detail, 500),
                ProcessId = Environment.ProcessId,
            });
            return true;
        });

    /// <summary>A journal line that goes with no record write (the record was already written, or is not the subject).</summary>
    public void Append(Actor actor, string action, string id, string? detail, long? revision) =>
        store.AppendJournal(Entry(actor, action, id, "ok", detail, revision));

    public JournalEntry Entry(Actor actor, string action, string id, string outcome, string? detail, long? revision) =>
        new()
        {
            At = clock.GetUtcNow(),
            Actor = actor.ToName(),
            Action = action,
            PlanId = id,
            Outcome = outcome,
            Detail = detail is null ? null : Truncate(detail, 500),
            Revision = revision,
            ProcessId = Environment.ProcessId,
        };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
