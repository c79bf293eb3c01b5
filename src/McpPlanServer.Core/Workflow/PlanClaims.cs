using System.Diagnostics;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Claims with fencing: an implementer session leases one active plan under the store's lock, or, where the store changes
/// claims one at a time (<see cref="IClaimRows"/>), as one conditional change of that plan's claim. A lease is live while its
/// session keeps calling within the idle time and its process still runs on that host; the fencing number comes from a
/// counter that only grows. Without an id the claim takes the next ready plan: approved, dependencies done, not
/// claimed, and sharing no planned file with a plan someone holds.
/// </summary>
public sealed class PlanClaims
{
    private readonly WorkflowJournal journal;
    private readonly PlanReader reader;
    private readonly IPlanStore store;
    private readonly PlanServerConfig config;
    private readonly TimeProvider clock;
    private readonly Func<ClaimHolder> session;
    private readonly PlanOverlaps overlaps;

    internal PlanClaims(WorkflowJournal journal, PlanReader reader, IPlanStore store, PlanServerConfig config, TimeProvider clock, Func<ClaimHolder> session, PlanOverlaps overlaps)
    {
        this.overlaps = overlaps;
        this.journal = journal;
        this.reader = reader;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.session = session;
    }

    private static readonly PlanStatus[] Workable = [PlanStatus.Implementing, PlanStatus.ChangesRequested, PlanStatus.Blocked];

    private TimeSpan Idle => TimeSpan.FromMinutes(config.ClaimIdleMinutes);

    public DateTimeOffset ExpiresAt(Claim claim) => claim.RenewedAt + Idle;

    /// <summary>The claims in force now (expired ones and those of ended processes are left out).</summary>
    public IReadOnlyList<Claim> Live() => Live(store.ReadClaims());

    private List<Claim> Live(ClaimBook book)
    {
        var now = clock.GetUtcNow();
        return [.. book.Claims.Where(claim => IsLive(claim, now))];
    }

    private bool IsLive(Claim claim, DateTimeOffset now) => ExpiresAt(claim) > now && ProcessRuns(claim);

    private static bool ProcessRuns(Claim claim)
    {
        if (!string.Equals(claim.Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(claim.ProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Claims <paramref name="id"/>, or the next ready plan when it is null; a claim already held is renewed. With plan
    /// branches on, the plan's branch and worktree are set up first, so a refusal there takes no claim.
    /// </summary>
    public ClaimGrant Take(string? id)
    {
        ClaimBook? read = null;
        if (Plans.PlanId.TryParse(id, out var wanted, out _))
        {
            // A plan another session holds is refused from the claims alone, before the lock and before the plan is read:
            // a refusal changes nothing, so it needs neither, and sessions fighting over a held plan never queue behind
            // each other's changes (on PostgreSQL it is one round trip instead of four).
            read = store.ReadClaims();
            var live = Live(read);
            RefuseOthers(wanted.Value, live, live.FirstOrDefault(claim => claim.SessionId == session().SessionId));
        }

        if (store.ClaimRows is { } rows && config.Parallel != ParallelPolicy.Strict)
        {
            return TakeRow(rows, id, read);
        }

        return journal.Locked(() =>
        {
            var (book, live, mine, plan) = Decide(id);
            var worktree = Place(plan);
            var claim = Grant(plan, book, live, mine);
            return new ClaimGrant(plan, claim) { Worktree = worktree };
        });
    }

    /// <summary>
    /// A claim where the store changes claims one at a time (<see cref="IClaimRows"/>, PostgreSQL): the checks read
    /// without any lock, the plan's branch and worktree are set up outside every transaction, and then only the plan's
    /// claim and its journal line are written, in one short change, from the claim as read — a claim another session
    /// took meanwhile is refused (<c>claim_conflict</c>) and never overwritten, and the fence comes from the store's
    /// counter. Not with <c>parallel: "strict"</c>, whose overlap check spans every claim: it stays a change under the lock.
    /// </summary>
    private ClaimGrant TakeRow(IClaimRows rows, string? id, ClaimBook? read)
    {
        var started = Stopwatch.GetTimestamp();
        var (book, live, mine, plan) = Decide(id, read);
        BenchTimings.Record("claim-checks", Stopwatch.GetElapsedTime(started));
        started = Stopwatch.GetTimestamp();
        var worktree = Place(plan);
        BenchTimings.Record("claim-place", Stopwatch.GetElapsedTime(started));
        started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var (claim, _) = Renewed(plan, book, live, mine);
            var renewing = mine is not null && mine.Fence == claim.Fence;
            try
            {
                var written = rows.Swap(
                    plan.Id.Value,
                    book.Claims.FirstOrDefault(held => held.PlanId == plan.Id.Value),
                    renewing ? claim : claim with { Fence = 0 },
                    renewing ? null : granted => journal.Entry(Actor.Implementer, "claim", plan.Id.Value, "ok", ClaimDetail(granted), revision: null))!;
                BenchTimings.Record("claim-write", Stopwatch.GetElapsedTime(started));
                return new ClaimGrant(plan, written) { Worktree = worktree };
            }
            catch (PlanRefusedException conflict) when (conflict.Code == RefusalCodes.ClaimConflict
                && attempt < (string.IsNullOrEmpty(id) && mine is null ? PlanLimits.ClaimNextReadyAttempts : PlanLimits.ClaimWriteAttempts))
            {
                // The plan's claim changed between the read and the write. Asked for no plan and holding none: the next
                // ready plan is decided again, as a claim decided under the lock would have skipped the one just taken.
                // Asked for this plan: held by another session now, refused as under a lock (plan_claimed); claimed and
                // released meanwhile, tried again from it.
                if (string.IsNullOrEmpty(id) && mine is null)
                {
                    (book, live, mine, plan) = Decide(id);
                    worktree = Place(plan);
                    continue;
                }

                book = store.ReadClaims();
                live = Live(book);
                mine = live.FirstOrDefault(held => held.SessionId == session().SessionId);
                RefuseOthers(plan.Id.Value, live, mine);
            }
        }
    }

    /// <summary>
    /// The claims as read now (or as <paramref name="read"/> just outside any lock, where the write is conditional on
    /// them anyway) and the plan to claim: <paramref name="id"/> if it may be claimed, this session's own, or the next ready one.
    /// </summary>
    private (ClaimBook Book, List<Claim> Live, Claim? Mine, LoadedPlan Plan) Decide(string? id, ClaimBook? read = null)
    {
        var book = read ?? store.ReadClaims();
        var live = Live(book);
        var mine = live.FirstOrDefault(claim => claim.SessionId == session().SessionId);
        var plan = string.IsNullOrEmpty(id)
            ? mine is not null ? reader.ReadPlan(mine.PlanId) : NextReady(live)
            : Claimable(reader.ReadPlan(id), live, mine);
        return (book, live, mine, plan);
    }

    private PlanWorktree? Place(LoadedPlan plan)
    {
        if (!config.PlanBranches || reader.Repository is not { } git)
        {
            return null;
        }

        var baseSha = plan.Record.Approval?.BaseCommit ?? git.HeadSha
            ?? throw new PlanRefusedException(RefusalCodes.WorktreeFailed, "The repository has no commit yet, so the plan's branch has nowhere to start. Commit once, then claim again.");
        return git.PlacePlanBranch(PlanWorktree.BranchOf(plan.Id.Value), baseSha, PlanWorktree.FolderOf(plan.Id.Value));
    }

    /// <summary>
    /// The claim commit_step works under: the caller's own live claim renewed, or a new one when the plan is free. Refuses
    /// when another session holds it, or the caller holds another plan. Nothing is written here: <see cref="Holding"/>
    /// writes the renewed book around the commit.
    /// </summary>
    public (Claim Claim, ClaimBook Book, ClaimBook Before) ForCommit(LoadedPlan plan)
    {
        var book = store.ReadClaims();
        var live = Live(book);
        var mine = live.FirstOrDefault(claim => claim.SessionId == session().SessionId);
        RefuseOthers(plan.Id.Value, live, mine);
        if (mine is null)
        {
            RefuseStrictOverlap(plan, live);
        }

        var (claim, next) = Renewed(plan, book, live, mine);
        return (claim, next, book);
    }

    /// <summary>
    /// Writes <paramref name="next"/> (the claim the commit carries is on disk before the commit exists, so its fence is
    /// never handed out twice), runs <paramref name="commit"/>, and, when it is refused, writes the claims back as they
    /// were (<see cref="Restore"/>): a refused commit_step leaves no renewed or new claim behind. Called under the store's
    /// lock; <paramref name="commit"/> may let go of it (<see cref="IPlanStore.ReleaseDuring"/>).
    /// </summary>
    public T Holding<T>(Claim claim, ClaimBook next, ClaimBook before, Func<T> commit)
    {
        store.WriteClaims(next);
        try
        {
            return commit();
        }
        catch
        {
            try
            {
                Restore(claim, next, before);
            }
            catch (PlanRefusedException)
            {
                // The refusal of the commit is the answer. A restore that could not be written (a database write that
                // failed rolls back the whole change) leaves at most this session's own claim held, which expires.
            }

            throw;
        }
    }

    /// <summary>
    /// Puts the claims back as they were before <paramref name="written"/> was written, but only while the book still
    /// holds that claim: where the store let go of its lock during the commit (PostgreSQL), the claim may have been broken
    /// and retaken meanwhile, and a newer holder's claim is never overwritten or removed. A book no one changed since
    /// (always so on files, which keep their lock) is written back whole; one another session changed meanwhile (a claim
    /// of another plan taken or released) keeps those changes and gets back only this plan's claim.
    /// </summary>
    private void Restore(Claim written, ClaimBook next, ClaimBook before)
    {
        var now = store.ReadClaims();
        var held = now.Claims.FirstOrDefault(claim => claim.PlanId == written.PlanId);
        if (held is null || held.Fence != written.Fence || held.SessionId != written.SessionId)
        {
            return;
        }

        if (now.LastFence == next.LastFence && now.Claims.Count == next.Claims.Count && now.Claims.All(next.Claims.Contains))
        {
            store.WriteClaims(before);
            return;
        }

        var previous = before.Claims.FirstOrDefault(claim => claim.PlanId == written.PlanId);
        store.WriteClaims(now with
        {
            Claims = [.. now.Claims.Where(claim => claim.PlanId != written.PlanId), .. previous is null ? [] : new[] { previous }],
        });
    }

    /// <summary>
    /// After outside work done without the store's lock (<see cref="IPlanStore.ReleaseDuring"/>): refuses unless
    /// <paramref name="claim"/> is still this session's claim with the same fence, so a holder whose claim was broken
    /// or taken over meanwhile (a stale holder) records nothing. With a store that kept its lock it always holds.
    /// </summary>
    public void Confirm(LoadedPlan plan, Claim claim, string done)
    {
        // Not only live claims: the claim this call renewed may expire while git works, and is still the holder's until another takes it.
        var now = store.ReadClaims().Claims.FirstOrDefault(held => held.PlanId == plan.Id.Value);
        if (now is not null && now.Fence == claim.Fence && now.SessionId == claim.SessionId)
        {
            return;
        }

        throw new PlanRefusedException(
            RefusalCodes.ClaimLost,
            $"{done}, but claim {claim.Fence} on '{plan.Id}' ended meanwhile ({(now is null ? "it was released or broken" : $"now claim {now.Fence} of {Describe(now)}")}), so nothing was recorded: this session no longer builds the plan. "
            + "read_active_plan to see who holds it; claim it again (read_active_plan with claim=true) before committing further.");
    }

    /// <summary>The implementer gives up its own claim (where the store changes claims one at a time, without the lock).</summary>
    public Claim Release(string id)
    {
        if (store.ClaimRows is not { } rows)
        {
            return ReleaseLocked(id);
        }

        id = Plans.PlanId.Parse(id).Value;
        var mine = Mine(store.ReadClaims(), id);
        rows.Swap(id, mine, null, ended => journal.Entry(Actor.Implementer, "release_plan", id, "ok", ReleaseDetail(ended), revision: null));
        return mine;
    }

    private Claim Mine(ClaimBook book, string id) =>
        Live(book).FirstOrDefault(claim => claim.PlanId == id && claim.SessionId == session().SessionId)
            ?? throw new PlanRefusedException(RefusalCodes.NotClaimed, $"This session holds no claim on '{id}'; there is nothing to release.");

    private static string ClaimDetail(Claim claim) => $"claim {claim.Fence} by {Describe(claim)}";

    private static string ReleaseDetail(Claim claim) => $"claim {claim.Fence} released";

    private Claim ReleaseLocked(string id) =>
        journal.Locked(() =>
        {
            id = Plans.PlanId.Parse(id).Value;
            var book = store.ReadClaims();
            var mine = Mine(book, id);
            store.WriteClaims(book with { Claims = [.. book.Claims.Where(claim => claim != mine)] });
            Journal(Actor.Implementer, "release_plan", id, ReleaseDetail(mine));
            return mine;
        });

    /// <summary>The person ends whatever claim <paramref name="id"/> has; its holder's next commit_step is refused.</summary>
    public Claim Break(string id) =>
        journal.Locked(() =>
        {
            id = Plans.PlanId.Parse(id).Value;
            var book = store.ReadClaims();
            var held = book.Claims.FirstOrDefault(claim => claim.PlanId == id)
                ?? throw new PlanRefusedException(RefusalCodes.NotClaimed, $"Plan '{id}' has no claim. mcpplan claims lists the claims there are.");
            store.WriteClaims(book with { Claims = [.. book.Claims.Where(claim => claim.PlanId != id)] });
            Journal(Actor.Owner, "release", id, $"claim {held.Fence} of {Describe(held)} broken");
            return held;
        });

    public static string Describe(Claim claim) => new ClaimHolder(claim.SessionId, claim.ProcessId, claim.Host, claim.Worktree).Describe();

    private LoadedPlan Claimable(LoadedPlan plan, List<Claim> live, Claim? mine)
    {
        if (plan.Location.Folder != PlanFolder.Active)
        {
            throw new PlanRefusedException(RefusalCodes.WrongState, $"Plan '{plan.Id}' is {plan.State}, not active: only approved plans can be claimed. {PlanLifecycle.NextStepHint(plan.State, plan.Id.Value)}");
        }

        WorkflowGuards.RequireApproved(plan);
        RefuseOthers(plan.Id.Value, live, mine);
        if (!(mine is not null && mine.PlanId == plan.Id.Value))
        {
            RefuseStrictOverlap(plan, live);
        }

        var readiness = reader.ReadinessOf(plan.Record, plan.Location.Folder);
        if (readiness != DependencyGraph.Ready && !(mine is not null && mine.PlanId == plan.Id.Value))
        {
            throw new PlanRefusedException(RefusalCodes.NotReady, $"Plan '{plan.Id}' is not ready to build: {readiness}. Claim without plan_id to take the next ready plan.");
        }

        return plan;
    }

    private void RefuseOthers(string plan, List<Claim> live, Claim? mine)
    {
        if (live.FirstOrDefault(claim => claim.PlanId == plan && claim.SessionId != session().SessionId) is { } other)
        {
            throw new PlanRefusedException(
                RefusalCodes.PlanClaimed,
                $"Plan '{plan}' is claimed by another session ({Describe(other)}, claim {other.Fence}, idle expiry {ExpiresAt(other):u}). Take another plan (read_active_plan with claim=true and no plan_id), or ask the person to run mcpplan release {plan}.");
        }

        if (mine is not null && mine.PlanId != plan)
        {
            throw new PlanRefusedException(
                RefusalCodes.AlreadyClaiming,
                $"This session holds plan '{mine.PlanId}' (claim {mine.Fence}). Finish it, or release_plan plan_id={mine.PlanId} first; one session builds one plan.");
        }
    }

    private void RefuseStrictOverlap(LoadedPlan plan, List<Claim> live)
    {
        if (StrictOverlap(plan, live) is { } overlap)
        {
            throw new PlanRefusedException(
                RefusalCodes.PlansOverlap,
                $"Plan '{plan.Id}' cannot be claimed: parallel is strict in the config, and it {overlap}. Claim another plan (read_active_plan with claim=true and no plan_id), or wait until that plan is integrated (mcpplan integrate).");
        }
    }

    /// <summary>
    /// With <c>parallel: "strict"</c>: why <paramref name="plan"/> may not be claimed — it lists a file that another active
    /// plan lists which someone holds, or which was approved before it (the first is integrated first). Null otherwise.
    /// </summary>
    private string? StrictOverlap(LoadedPlan plan, List<Claim> live)
    {
        if (config.Parallel != ParallelPolicy.Strict)
        {
            return null;
        }

        var held = live.Where(claim => claim.SessionId != session().SessionId).Select(claim => claim.PlanId).ToHashSet(StringComparer.Ordinal);
        var approvedAt = plan.Record.Approval?.At ?? DateTimeOffset.MaxValue;
        foreach (var (other, files) in overlaps.Of([plan.Id.Value]).GetValueOrDefault(plan.Id.Value) ?? [])
        {
            if (held.Contains(other))
            {
                return $"shares {string.Join(", ", files)} with plan '{other}', which another session holds";
            }

            if (TryRead(other)?.Record.Approval?.At is { } otherAt && (otherAt < approvedAt || (otherAt == approvedAt && string.CompareOrdinal(other, plan.Id.Value) < 0)))
            {
                return $"shares {string.Join(", ", files)} with plan '{other}', approved before it and not integrated yet";
            }
        }

        return null;
    }

    private LoadedPlan NextReady(List<Claim> live)
    {
        var held = live.Select(claim => claim.PlanId).ToHashSet(StringComparer.Ordinal);
        var busyFiles = live
            .SelectMany(claim => TryRead(claim.PlanId)?.Document.PlannedFiles.Select(file => file.Path) ?? [])
            .ToHashSet(StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var location in store.ListPlans().Where(location => location.Folder == PlanFolder.Active).OrderBy(location => location.Id.Value, StringComparer.Ordinal))
        {
            var id = location.Id.Value;
            if (held.Contains(id))
            {
                reasons.Add($"{id}: claimed");
                continue;
            }

            var plan = TryRead(id);
            var readiness = plan is null ? null : reader.ReadinessOf(plan.Record, plan.Location.Folder);
            var shared = plan?.Document.PlannedFiles.Select(file => file.Path).Where(busyFiles.Contains).ToList() ?? [];
            var reason = plan is null ? "unreadable"
                : !plan.ApprovalValid ? "not approved for its current text"
                : !Workable.Contains(plan.State.Status) ? plan.State.Status.ToWireName()
                : readiness != DependencyGraph.Ready ? readiness
                : shared.Count > 0 ? $"shares {string.Join(", ", shared)} with a plan in progress"
                : StrictOverlap(plan, live);
            if (reason is null)
            {
                return plan!;
            }

            reasons.Add($"{id}: {reason}");
        }

        throw new PlanRefusedException(
            RefusalCodes.NoReadyPlan,
            reasons.Count == 0
                ? "No plan is active. A plan becomes active when the person approves it (mcpplan approve <id>)."
                : $"No active plan is ready to claim ({string.Join("; ", reasons)}). Wait for the planner or the person, or claim a plan by id.");
    }

    private LoadedPlan? TryRead(string id)
    {
        try
        {
            return reader.ReadPlan(id);
        }
        catch (PlanRefusedException)
        {
            return null;
        }
    }

    private Claim Grant(LoadedPlan plan, ClaimBook book, List<Claim> live, Claim? mine)
    {
        var (claim, next) = Renewed(plan, book, live, mine);
        store.WriteClaims(next);
        if (mine is null || mine.Fence != claim.Fence)
        {
            Journal(Actor.Implementer, "claim", plan.Id.Value, ClaimDetail(claim));
        }

        return claim;
    }

    private (Claim Claim, ClaimBook Book) Renewed(LoadedPlan plan, ClaimBook book, List<Claim> live, Claim? mine)
    {
        var now = clock.GetUtcNow();
        var holder = session();
        var claim = mine is not null && mine.PlanId == plan.Id.Value
            ? mine with { RenewedAt = now }
            : new Claim(plan.Id.Value, book.LastFence + 1, holder.SessionId, holder.ProcessId, holder.Host, holder.Worktree, now, now);
        var others = live.Where(existing => existing.PlanId != plan.Id.Value && existing.SessionId != holder.SessionId);
        return (claim, new ClaimBook(Math.Max(book.LastFence, claim.Fence), [.. others, claim]));
    }

    private void Journal(Actor actor, string action, string id, string detail) => journal.Append(actor, action, id, detail, revision: null);
}
