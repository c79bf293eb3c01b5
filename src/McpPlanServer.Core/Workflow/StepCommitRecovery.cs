using McpPlanServer.Core.Drift;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Brings records in line with the disk and git after a crash, a failed record write or a person's <c>mv</c>: a record
/// that lags its plan's folder is rewritten, an interrupted archiving finished, and a step commit whose record write was
/// lost adopted when it matches the intent recorded before it.
/// </summary>
internal sealed class StepCommitRecovery(WorkflowJournal journal, PlanReader reader, Func<IBranchPublisher?> publisher)
{
    private IPlanStore Store => reader.Store;

    /// <summary>
    /// A process killed between the git commit and the record write (or a record write that failed) leaves a commit the
    /// record lacks. It is adopted only when it matches the intent commit_step wrote before committing — same step in the
    /// trailers, same tree, same parent — so a commit made by hand with this plan's trailers stays outside commit_step.
    /// Callers hold the lock.
    /// </summary>
    public LoadedPlan AdoptUnrecordedStepCommits(LoadedPlan plan, IRepositoryGateway git, Actor actor, bool leavePendingIfUnpublished = false)
    {
        if (plan.Record.PendingCommit is not { } intent)
        {
            return plan;
        }

        var recorded = plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha).ToHashSet(StringComparer.Ordinal);
        var stepText = intent.Step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var match = git.CommitsSince(plan.Record.Approval?.BaseCommit, 500).FirstOrDefault(commit =>
            !recorded.Contains(commit.Sha)
            && commit.Trailer("Plan-Id") == plan.Id.Value
            && commit.Trailer("Plan-Step") == stepText
            && commit.TreeId == intent.TreeId
            && commit.ParentSha == intent.ParentSha);
        if (match is null || intent.Step < 1 || intent.Step > plan.Record.Steps.Count)
        {
            return plan;
        }

        // A commit is adopted as done only once it is on the remote (start-up leaves it pending instead).
        if (!BranchPublishing.TryPublish(publisher(), plan.Id.Value, intent.Step, match.Sha, leavePendingIfUnpublished))
        {
            return plan;
        }

        var commit = git.WithFiles(match);
        var files = commit.Files.Select(file => file.Path).ToList();
        var adopted = new StepCommit(commit.Sha, commit.Message.Split("\n\n")[0].Trim(), commit.At, files,
            DriftAnalyzer.UnplannedFiles(files, plan.Document.PlannedFiles), null, commit.Trailers.TryGetValue("Plan-Addresses", out var addressed) ? addressed : [])
        {
            Approval = commit.Trailer("Plan-Approval"),
        };
        return journal.Save(plan, actor, "recover_commit", record => record with
        {
            Steps = [.. record.Steps.Select(step => step.Number == intent.Step ? step with { Done = true, Problem = null, Commits = [.. step.Commits, adopted] } : step)],
            PendingCommit = null,
        }, $"adopted step {intent.Step} commit {CommitId.Short(commit.Sha)}, which matches the intent recorded before it (made before a crash or a failed record write)");
    }

    /// <summary>
    /// Runs at start-up over every plan; returns how many plans it changed. Which plans need anything is decided first
    /// from one pass over every record without the lock (<see cref="IPlanStore.ReadEveryRecord"/>: a few queries on
    /// PostgreSQL, not a transaction per plan); only the plans that may need something take the lock, one at a time, and
    /// are decided again under it from what is stored then. A plan in line at that read needs nothing: every change
    /// after it is made whole under the lock by the server making it, exactly as for a plan this pass reconciled earlier.
    /// </summary>
    public int Reconcile()
    {
        var listed = Store.ListPlans();
        var settled = new HashSet<PlanId>();
        var folders = listed.GroupBy(location => location.Id).Where(group => group.Count() == 1).ToDictionary(group => group.Key, group => group.Single());
        foreach (var (id, stored) in Store.ReadEveryRecord())
        {
            if (folders.TryGetValue(id, out var location) && !Interrupted(location, stored) && InLine(location, stored))
            {
                settled.Add(id);
            }
        }

        var changed = 0;
        foreach (var location in listed.Where(location => !settled.Contains(location.Id)))
        {
            changed += SkippingBadFiles(() => journal.Locked(() => Reconcile(location)));
        }

        return changed;
    }

    /// <summary>complete/abandon wrote the record and died before the move: the archiving is to be finished.</summary>
    private static bool Interrupted(PlanLocation location, PlanRecord? stored) =>
        stored is { Folder: PlanFolder.Completed, Status: PlanStatus.Completed or PlanStatus.Abandoned } && location.Folder != PlanFolder.Completed;

    /// <summary>
    /// Nothing to bring in line: no record (a plan placed by hand is read from its text), or a record that agrees with
    /// the text's folder and time, for a plan whose steps git does not decide (not active, or no git).
    /// </summary>
    private bool InLine(PlanLocation location, PlanRecord? stored) =>
        stored is null || (stored.Folder == location.Folder && stored.TextWrittenAt == location.LastWriteTime && (location.Folder != PlanFolder.Active || reader.Repository is null));

    private int Reconcile(PlanLocation listed)
    {
        // Listed before the lock was taken: another process may have moved the plan since.
        if (Store.Locate(listed.Id) is not { } location)
        {
            return 0;
        }

        var stored = Store.ReadRecord(location.Id);
        if (Interrupted(location, stored))
        {
            Store.Move(location.Id, location.Folder, PlanFolder.Completed);
            journal.Append(Actor.Owner, "reconcile", location.Id.Value, $"finished archiving ({stored!.Status.ToWireName()}) after an interrupted move", stored.Revision);
            return 1;
        }

        if (stored is null || InLine(location, stored))
        {
            return 0;
        }

        var repository = reader.Repository;
        LoadedPlan plan;
        try
        {
            plan = reader.Load(location, stored);
        }
        catch (PlanRefusedException)
        {
            return 0;
        }

        if (repository is not null && plan.Location.Folder == PlanFolder.Active && plan.Record.Approval is not null
            && AdoptUnrecordedStepCommits(plan, repository, Actor.Owner, leavePendingIfUnpublished: true) != plan)
        {
            return 1;
        }

        if (stored.Folder == plan.Record.Folder && stored.Status == plan.Record.Status && stored.TextSha256 == plan.Record.TextSha256)
        {
            return 0;
        }

        journal.Save(plan, Actor.Owner, "reconcile", record => record, $"record brought in line with {location.Folder}/ (was {stored.Folder}/{stored.Status.ToWireName()})");
        return 1;
    }

    /// <summary>
    /// One plan that cannot be read (a corrupt record, a copy in two folders, a link) is left as it is during start-up
    /// reconciliation: the bad-file listing reports it and every change to it is refused, while the rest goes on.
    /// A store that cannot be locked or written at all is still the caller's to handle.
    /// </summary>
    private static int SkippingBadFiles(Func<int> reconcile)
    {
        try
        {
            return reconcile();
        }
        catch (PlanRefusedException bad) when (bad.Code is not ("busy" or "read_only" or "permission_denied"))
        {
            return 0;
        }
    }
}
