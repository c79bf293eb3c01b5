using System.Collections.Concurrent;
using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Reads one plan as it stands: text and record from the store, reconciled with the folder the text was found in (the
/// folder wins), the step commits checked against the branch, and whether its dependencies are done. Takes no lock.
/// </summary>
internal sealed class PlanReader(IPlanStore store, IRepositoryGateway? repository)
{
    private readonly ParsedPlanCache parsed = new();

    public IPlanStore Store => store;

    public IRepositoryGateway? Repository => repository;

    public LoadedPlan ReadPlan(string id)
    {
        var planId = PlanId.Parse(id);
        try
        {
            return WithReadiness(Load(planId));
        }
        catch (PlanRefusedException moved) when (moved.Code == RefusalCodes.PlanMoved)
        {
            // Moved by another process between locating and reading (a store that reads in steps: files): read it again, once.
            return WithReadiness(Load(planId));
        }
    }

    /// <summary>The plan the implementer should work on: the given one, the one this session claimed, or the only active one.</summary>
    public LoadedPlan ReadActivePlan(string? id, Func<string?> claimedPlanId)
    {
        if (!string.IsNullOrEmpty(id))
        {
            var plan = ReadPlan(id);
            if (plan.Location.Folder != PlanFolder.Active)
            {
                throw new PlanRefusedException(
                    RefusalCodes.WrongState,
                    $"Plan '{id}' is {plan.State}, not active. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
            }

            return plan;
        }

        if (claimedPlanId() is { } mine)
        {
            return ReadPlan(mine);
        }

        // The folder listing without each file's time (kept while the folders are unchanged): only the active plan is read.
        var listed = store.ListPlanNames();
        var active = listed.Where(plan => plan.Folder == PlanFolder.Active).ToList();
        var waiting = listed.Where(plan => plan.Folder == PlanFolder.Review).Select(plan => "mcpplan approve " + plan.Id).ToList();
        return active.Count switch
        {
            0 => throw new PlanRefusedException(
                RefusalCodes.NoActivePlan,
                "No plan is active. A plan becomes active when the owner approves it" +
                (waiting.Count == 0 ? "; no plan is in Review yet: the planner writes one with write_plan." : $" ({string.Join(" or ", waiting.Take(5))}).")),
            1 => Load(active[0].Id),
            _ => throw new PlanRefusedException(
                RefusalCodes.AmbiguousActivePlan,
                $"{active.Count} plans are active ({string.Join(", ", active.Select(location => location.Id))}). Pass claim=true to take the next ready one, or plan_id to choose one."),
        };
    }

    private LoadedPlan WithReadiness(LoadedPlan plan) => plan with { Readiness = ReadinessOf(plan.Record, plan.Location.Folder) };

    /// <summary><c>ready</c>, <c>waiting on …</c> or <c>blocked: …</c> for a plan not yet completed; null once it is in Completed/.</summary>
    public string? ReadinessOf(PlanRecord record, PlanFolder folder) => folder == PlanFolder.Completed ? null : ReadinessFor(record.DependsOn);

    /// <param name="dependsOn">The plan's dependencies.</param>
    /// <param name="listed">Where a listing that is current (see <see cref="IPlanStore.ListPlanNames"/>) found a plan, when it
    /// found it once: its status is then kept while its files' stamp holds, instead of locating it and reading its record.</param>
    public string ReadinessFor(IReadOnlyList<string> dependsOn, Func<PlanId, PlanFolder?>? listed = null)
    {
        var statuses = new Dictionary<string, PlanStatus>(StringComparer.Ordinal);
        foreach (var dependency in dependsOn)
        {
            if (StatusOf(dependency, listed) is { } status)
            {
                statuses[dependency] = status;
            }
        }

        return DependencyGraph.Readiness(dependsOn, statuses);
    }

    /// <summary>Dependencies' statuses with the folder and file stamp they were read at (for listings: see <see cref="ReadinessFor"/>).</summary>
    private readonly ConcurrentDictionary<PlanId, (PlanFolder Folder, PlanFileStamp Stamp, PlanStatus Status)> statuses = new();

    private PlanStatus? StatusOf(string id, Func<PlanId, PlanFolder?>? listed)
    {
        if (!PlanId.TryParse(id, out var planId, out _))
        {
            return null;
        }

        if (listed?.Invoke(planId) is { } folder)
        {
            var location = new PlanLocation(planId, folder, default);
            if (store.Stamp(location) is { } stamp)
            {
                if (statuses.TryGetValue(planId, out var kept) && kept.Folder == folder && kept.Stamp == stamp)
                {
                    return kept.Status;
                }

                var status = RecordedStatus(planId, folder);
                if (store.Stamp(location) == stamp)
                {
                    statuses[planId] = (folder, stamp, status);
                }

                return status;
            }
        }

        return store.Locate(planId) is { } found ? RecordedStatus(planId, found.Folder) : null;
    }

    /// <summary>
    /// Keeps the status a dependency has by this record, read after <paramref name="stamp"/> was taken (a change in between
    /// leaves a stamp that no longer holds, so it is read again).
    /// </summary>
    public void NoteStatus(PlanId id, PlanFolder folder, PlanFileStamp stamp, PlanRecord? record) =>
        statuses[id] = (folder, stamp, record is not null && record.Folder == folder ? record.Status : DefaultStatus(folder));

    /// <summary>The record's status when the record agrees with the folder the text is in; otherwise the folder's default.</summary>
    private PlanStatus RecordedStatus(PlanId id, PlanFolder folder)
    {
        try
        {
            var record = store.ReadRecord(id);
            return record is not null && record.Folder == folder ? record.Status : DefaultStatus(folder);
        }
        catch (PlanRefusedException)
        {
            return DefaultStatus(folder);
        }
    }

    /// <summary>The dependencies a plan's record holds, or null when there is no such plan (for the graph's lint).</summary>
    public IReadOnlyList<string>? DependenciesOf(string id)
    {
        if (!PlanId.TryParse(id, out var planId, out _) || store.Locate(planId) is null)
        {
            return null;
        }

        try
        {
            return store.ReadRecord(planId)?.DependsOn ?? [];
        }
        catch (PlanRefusedException)
        {
            return [];
        }
    }

    public static IReadOnlyList<string> ValidDependencies(PlanDocument document) =>
        [.. document.Metadata.DependsOn.Where(dependency => PlanId.TryParse(dependency, out _, out _)).Distinct(StringComparer.Ordinal)];

    private PlanRefusedException NotFound(PlanId id) => new(
        RefusalCodes.PlanNotFound,
        $"There is no plan '{id}' in {store.PlansRoot}/Review, Active or Completed. list_plans shows the plans that exist.");

    /// <summary>Reads the plan whole and reconciles it (see <see cref="TryLoad"/>); refuses <c>plan_not_found</c> when there is no such plan.</summary>
    public LoadedPlan Load(PlanId id) => TryLoad(id) ?? throw NotFound(id);

    /// <summary>Reads the plan whole (<see cref="IPlanStore.ReadPlan"/>: one round trip where the store can) and reconciles it; null when there is no such plan.</summary>
    public LoadedPlan? TryLoad(PlanId id)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        return store.ReadPlan(id) is { } stored ? Reconciled(stored, lap) : null;
    }

    /// <summary>Reads the text and record of the plan found at <paramref name="location"/> and reconciles them.</summary>
    public LoadedPlan Load(PlanLocation location)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        var text = store.ReadText(location);
        return Reconciled(new StoredPlan(location, text, store.ReadRecord(location.Id)), lap);
    }

    /// <summary>Reads the text of the plan found at <paramref name="location"/> and reconciles it with the record the caller read.</summary>
    /// <param name="location">Where the text is.</param>
    /// <param name="recordRead">The record as the caller just read it (null: the plan has none), so it is not read twice.</param>
    public LoadedPlan Load(PlanLocation location, PlanRecord? recordRead)
    {
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        return Reconciled(new StoredPlan(location, store.ReadText(location), recordRead), lap);
    }

    /// <summary>Reconciles text and record with the folder the text was found in (the folder wins).</summary>
    /// <param name="stored">The plan as read; a plan without a record gets one made from its text.</param>
    /// <param name="lap">When its read began: the <c>read:text+record</c> lap covers the store's reads and the reconciling.</param>
    private LoadedPlan Reconciled(StoredPlan stored, long lap)
    {
        var (location, text, recordRead) = stored;
        var sha = PlanText.Sha256Hex(text);
        var document = parsed.Parse(text, sha);
        var record = recordRead ?? new PlanRecord
        {
            Id = location.Id.Value,
            Revision = 0,
            TextRevision = 1,
            TextSha256 = sha,
            Folder = location.Folder,
            Status = DefaultStatus(location.Folder),
            CreatedAt = location.LastWriteTime,
            UpdatedAt = location.LastWriteTime,
            Steps = StepsFor(document, []),
            Timeline = [new TimelineEntry(location.LastWriteTime, "owner", "placed", $"found in {location.Folder}/ without a record")],
        };

        if (record.Folder != location.Folder)
        {
            record = record with { Folder = location.Folder, Status = ReconcileStatus(record.Status, location.Folder) };
        }

        var dependsOn = ValidDependencies(document);
        if (record.TextSha256 != sha || record.StepCount != document.Steps.Count || record.Title != document.Title || !record.DependsOn.SequenceEqual(dependsOn))
        {
            // Edited outside write_plan (a person's editor, or a crash between writes): adopt the text as it is.
            record = record with { TextSha256 = sha, Title = document.Title, StepCount = document.Steps.Count, DependsOn = dependsOn, Steps = StepsFor(document, record.Steps) };
        }

        if (record.TextWrittenAt != location.LastWriteTime)
        {
            // Saved with the next change, so listings stop re-reading a text they have already reconciled.
            record = record with { TextWrittenAt = location.LastWriteTime };
        }

        BenchTimings.Lap("read:text+record", ref lap);
        if (location.Folder == PlanFolder.Active)
        {
            var git = record.Steps.Any(step => step.Commits.Count > 0) ? RepositoryFor(record) : repository;
            BenchTimings.Lap("read:repository-for", ref lap);
            record = BranchTruth.Apply(record, git);
            BenchTimings.Lap("read:branch-truth", ref lap);
        }

        var loaded = new LoadedPlan(location, text, sha, document, record)
        {
            StaleVerdict = StaleVerdict(record, location.Folder),
            AcceptanceSha256 = PlanAcceptance.CurrentHash(store, location.Id, document, sha),
        };
        BenchTimings.Lap("read:verdict+acceptance", ref lap);
        return loaded;
    }

    /// <summary>
    /// Where the plan's commits are read: its branch <c>plan/&lt;id&gt;</c> (in the worktree that has it), or the worktree
    /// whose HEAD holds its last step commit, when HEAD here is elsewhere. So a planner, or the person in the main worktree,
    /// judges what the builder committed on the plan's branch, not what happens to be checked out where they run.
    /// </summary>
    public IRepositoryGateway? RepositoryFor(PlanRecord record)
    {
        if (repository is null)
        {
            return null;
        }

        var last = record.Steps.SelectMany(step => step.Commits).MaxBy(commit => commit.At)?.Sha ?? record.LastReview?.HeadSha;
        try
        {
            return repository.PlanView(PlanWorktree.BranchOf(record.Id), last) ?? repository;
        }
        catch (PlanRefusedException)
        {
            return repository;
        }
    }

    /// <summary>A verified verdict holds for the commit it was given on; a later commit on the plan's branch voids it.</summary>
    public string? StaleVerdict(PlanRecord record, PlanFolder folder)
    {
        if (folder != PlanFolder.Active || record.Status != PlanStatus.Verified || RepositoryFor(record) is not { } branch || record.LastReview?.HeadSha is not { } verified)
        {
            return null;
        }

        string? head;
        try
        {
            head = branch.HeadSha;
        }
        catch (PlanRefusedException)
        {
            return null;
        }

        if (head == verified)
        {
            return null;
        }

        // Only a later commit on the plan voids its verdict: one of its own step commits, or any commit that changes a file
        // its steps changed. Other plans' commits on the same branch leave it standing.
        var planFiles = record.Steps.SelectMany(step => step.Commits).SelectMany(commit => commit.Files).ToHashSet(StringComparer.Ordinal);
        var voiding = branch.CommitsSince(verified, 500)
            .FirstOrDefault(commit => commit.Trailer("Plan-Id") == record.Id || branch.WithFiles(commit).Files.Any(file => planFiles.Contains(file.Path)));
        return voiding is null
            ? null
            : $"Plan '{record.Id}' was verified on commit {CommitId.Short(verified)}, but commit {voiding.Sha[..12]} ('{voiding.Subject}') changed the plan's files after it: the verdict does not cover what is there. "
                + $"The owner sends it back (mcpplan request-changes {record.Id} --note ...) so it is handed in and reviewed again, or restores the branch to the verified commit.";
    }

    public static PlanStatus DefaultStatus(PlanFolder folder) => folder switch
    {
        PlanFolder.Review => PlanStatus.AwaitingApproval,
        PlanFolder.Active => PlanStatus.Implementing,
        _ => PlanStatus.Completed,
    };

    private static PlanStatus ReconcileStatus(PlanStatus recorded, PlanFolder folder)
    {
        var fits = PlanLifecycle.Rules.SelectMany(rule => rule.From).Any(state => state.Folder == folder && state.Status == recorded)
            || (folder == PlanFolder.Completed && recorded is PlanStatus.Completed or PlanStatus.Abandoned);
        return fits ? recorded : DefaultStatus(folder);
    }

    /// <summary>Step progress for a (new) text: progress of a step with the same number and title is kept.</summary>
    public static IReadOnlyList<StepProgress> StepsFor(PlanDocument document, IReadOnlyList<StepProgress> previous) =>
        document.Steps.Select(step =>
        {
            var old = previous.FirstOrDefault(candidate => candidate.Number == step.Number && candidate.Title == step.Title);
            return old ?? new StepProgress(step.Number, step.Title, false, []);
        }).ToList();
}
