using McpPlanServer.Core.Acceptance;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The use cases of the workflow, shared by the MCP tools, the owner's CLI and the board: one entry point over the parts
/// that do the work — reading and listing (<see cref="PlanReader"/>, <see cref="PlanListing"/>), the planner's,
/// implementer's and owner's commands, the implementation evidence, recovery after a crash, and the journal. Each change
/// runs under the store's cross-process lock as check → change → write → journal and returns the plan as it saved it;
/// a refusal is journaled and leaves everything as it was.
/// </summary>
public sealed class PlanWorkflow
{
    private readonly IPlanStore store;
    private readonly WorkflowJournal journal;
    private readonly PlanReader reader;
    private readonly PlanListing listing;
    private readonly PlannerCommands planner;
    private readonly ImplementerCommands implementer;
    private readonly OwnerDecisions owner;
    private readonly ApprovalRequests approvals;
    private readonly BlockerAnswers answers;
    private readonly ImplementationEvidenceReader evidence;
    private readonly StepCommitRecovery recovery;
    private readonly PlanOverlaps overlaps;

    public PlanWorkflow(IPlanStore store, PlanServerConfig config, IRepositoryGateway? repository, IVerificationRunner? verifier, TimeProvider clock, IFaultPoints? faults = null)
    {
        faults ??= NoFaultPoints.Instance;
        Index = new PlanSummaryIndex(clock);
        this.store = store;
        Config = config;
        journal = new WorkflowJournal(store, clock);
        reader = new PlanReader(store, repository);
        listing = new PlanListing(reader, Index);
        overlaps = new PlanOverlaps(store, clock);
        Claims = new PlanClaims(journal, reader, store, config, clock, () => Session, overlaps);
        recovery = new StepCommitRecovery(journal, reader, () => Publisher);
        planner = new PlannerCommands(journal, reader, config, clock);
        Acceptance = new PlanAcceptance(journal, reader, config, () => AcceptanceRunner);
        implementer = new ImplementerCommands(journal, reader, recovery, Claims, Acceptance, config, verifier, clock, faults, () => Publisher);
        owner = new OwnerDecisions(journal, reader, Acceptance, config, verifier, clock, faults, () => Publisher);
        approvals = new ApprovalRequests(reader, config, clock);
        answers = new BlockerAnswers(reader, clock);
        evidence = new ImplementationEvidenceReader(reader, Acceptance, () => Publisher);
    }

    public PlanServerConfig Config { get; }

    /// <summary>The plans root relative to the repository, with forward slashes (for messages).</summary>
    public string PlansRoot => store.PlansRoot;

    /// <summary>This server session, as a claim holder (the composition root names its worktree).</summary>
    public ClaimHolder Session { get; init; } = ClaimHolder.NewSession(string.Empty);

    public PlanClaims Claims { get; }

    /// <summary>The plan's acceptance tests: written by the planner, pinned by the approval, run at hand-in and integration.</summary>
    public PlanAcceptance Acceptance { get; }

    /// <summary>Pushes each step's commit to the configured remote before it is recorded; null keeps commits local.</summary>
    public IBranchPublisher? Publisher { get; init; }

    /// <summary>Runs pinned acceptance tests at hand-in and integration; null: they are not run (no runner composed).</summary>
    public IAcceptanceRunner? AcceptanceRunner { get; init; }

    /// <summary>The plan's acceptance test files as the planner wrote them (kept with the plan until the approval pins them).</summary>
    public AcceptanceSet ReadAcceptance(PlanId id) => store.ReadAcceptance(id);

    /// <summary>Summaries reused between listings while their files are unchanged (one per workflow, so per process).</summary>
    public PlanSummaryIndex Index { get; }

    /// <summary>The shortest hash prefix the person may give: 8 hex digits (32 bits) make a lucky match on an edited text unlikely.</summary>
    public const int MinimumShaPrefix = OwnerDecisions.MinimumShaPrefix;

    // ---------------------------------------------------------------- reading and listing

    public IReadOnlyList<PlanSummary> ListPlans(PlanFolder? folder = null) => ListPlans(folder, 0, int.MaxValue).Plans;

    /// <inheritdoc cref="PlanListing.ListPlans"/>
    public PlanPage ListPlans(PlanFolder? folder, int offset, int limit)
    {
        var page = listing.ListPlans(folder, offset, limit, out var listed);
        var active = page.Plans.Where(plan => plan.Folder == PlanFolder.Active).Select(plan => plan.Id).ToList();
        if (active.Count == 0)
        {
            return page;
        }

        var shared = overlaps.ForListing(active, listed);
        return page with { Plans = [.. page.Plans.Select(plan => PlanOverlaps.Describe(shared.GetValueOrDefault(plan.Id)) is { } overlap ? plan with { Overlap = overlap } : plan)] };
    }

    /// <summary>The other approved plans that list a file this plan lists ("shares a.cs with plan 'x'"); null when none.</summary>
    public string? OverlapOf(string id) => PlanOverlaps.Describe(overlaps.Of([id]).GetValueOrDefault(id));

    /// <summary>The warning the person sees on approving a plan that shares files with another approved plan (the CLI and
    /// the board say the same); null when it shares none.</summary>
    public string? OverlapWarningOf(string id) => OverlapOf(id) is { } overlap
        ? $"Warning: it {overlap}; two builders would edit the same files at once.{(Config.Parallel == ParallelPolicy.Strict ? " parallel is strict: it is not claimed while the other plan is held or active before it." : " Claims without an id skip it while the other is held; set \"parallel\": \"strict\" to keep them apart.")}"
        : null;

    /// <summary>The plan's own branch <c>plan/&lt;id&gt;</c> when it exists in the repository (planBranches), else null.</summary>
    public string? BranchOf(string id) =>
        reader.Repository is { } repository && repository.HasBranch(PlanWorktree.BranchOf(id)) ? PlanWorktree.BranchOf(id) : null;

    /// <inheritdoc cref="PlanListing.BadFiles"/>
    public IReadOnlyList<BadFile> BadFiles(bool readEveryPlan) => listing.BadFiles(readEveryPlan);

    /// <summary>Which plans exist and where, from the folder listing alone (no text or record read).</summary>
    public IReadOnlyList<PlanLocation> ListLocations() => store.ListPlans();

    /// <summary>The summaries the listing gives these plans, with where each is; null when one cannot be summarized alone
    /// (two folders, a link) and only a whole listing shows it.</summary>
    public IReadOnlyList<(PlanLocation Location, PlanSummary Summary)>? SummariesOf(IReadOnlyCollection<PlanId> ids) => listing.SummariesOf(ids);

    /// <summary>The commit HEAD points at (an active plan's summary depends on it: git decides its steps); null without git.</summary>
    public string? HeadForSummaries() => listing.IndexHead();

    /// <inheritdoc cref="PlanListing.ReadableRecords"/>
    public IReadOnlyList<PlanRecord> ReadableRecords() => listing.ReadableRecords();

    /// <inheritdoc cref="PlanListing.ReadableRecordsOf"/>
    public Dictionary<string, PlanRecord?>? ReadableRecordsOf(IEnumerable<PlanId> ids) => listing.ReadableRecordsOf(ids);

    /// <inheritdoc cref="PlanListing.DeclaredDependencies"/>
    public IReadOnlyList<string> DeclaredDependencies(PlanLocation location) => listing.DeclaredDependencies(location);

    public LoadedPlan ReadPlan(string id) => reader.ReadPlan(id);

    /// <summary>The linter on a plan with this repository's settings, as approval applies it.</summary>
    public LintReport Lint(LoadedPlan plan) => PlanLinter.Lint(plan.Document, new LintOptions(Config.RequiredSections) { PlansRoot = store.PlansRoot });

    /// <inheritdoc cref="PlanReader.ReadinessOf"/>
    public string? ReadinessOf(PlanRecord record, PlanFolder folder) => reader.ReadinessOf(record, folder);

    /// <summary>The plan the implementer should work on: the given one, the one this session claimed, or the only active one.</summary>
    public LoadedPlan ReadActivePlan(string? id) =>
        reader.ReadActivePlan(id, () => Claims.Live().FirstOrDefault(claim => claim.SessionId == Session.SessionId)?.PlanId);

    /// <summary>Tamper evidence for one plan (or every plan): journal lines and records mcpplan did not write.</summary>
    public IReadOnlyList<TamperFinding> CheckIntegrity(string? id) => store.CheckIntegrity(id is null ? null : PlanId.Parse(id));

    public IReadOnlyList<JournalEntry> ReadJournal(string? id)
    {
        var entries = store.ReadJournal();
        if (string.IsNullOrEmpty(id))
        {
            return entries;
        }

        var planId = PlanId.Parse(id).Value;
        return entries.Where(entry => entry.PlanId == planId).ToList();
    }

    // ---------------------------------------------------------------- planner

    public WritePlanResult WritePlan(Actor actor, string id, string text, int? expectedRevision) => planner.WritePlan(actor, id, text, expectedRevision);

    public RecordedBlocker AnswerBlocker(Actor actor, string id, int blockerId, string answer) => planner.AnswerBlocker(actor, id, blockerId, answer);

    public SubmittedReview SubmitReview(Actor actor, string id, ReviewSubmission submission) => planner.SubmitReview(actor, id, submission);

    /// <inheritdoc cref="ApprovalRequests.ReadForApproval"/>
    public (LoadedPlan Plan, LintReport Lint) ReadForApproval(string id) => approvals.ReadForApproval(id);

    /// <inheritdoc cref="ApprovalRequests.AwaitDecisionAsync"/>
    public Task<ApprovalDecision> AwaitDecisionAsync(string id, TimeSpan timeout, Func<LoadedPlan, TimeSpan, CancellationToken, ValueTask>? progress, CancellationToken cancellationToken) =>
        approvals.AwaitDecisionAsync(id, timeout, progress, cancellationToken);

    /// <inheritdoc cref="ImplementationEvidenceReader.Review"/>
    public ImplementationEvidence ReviewImplementation(string id, string? commitSha, int diffOffset, int maxDiffBytes) => evidence.Review(id, commitSha, diffOffset, maxDiffBytes);

    // ---------------------------------------------------------------- implementer

    public RecordedBlocker ReportBlocker(Actor actor, string id, int? step, string question) => implementer.ReportBlocker(actor, id, step, question);

    /// <inheritdoc cref="BlockerAnswers.AwaitAnswerAsync"/>
    public Task<BlockerAnswer> AwaitAnswerAsync(string id, int? blockerId, TimeSpan timeout, Func<LoadedPlan, TimeSpan, CancellationToken, ValueTask>? progress, CancellationToken cancellationToken) =>
        answers.AwaitAnswerAsync(id, blockerId, timeout, progress, cancellationToken);

    /// <inheritdoc cref="ImplementerCommands.CommitStep"/>
    public StepCommitOutcome CommitStep(Actor actor, string id, int step, string message, IReadOnlyList<string>? paths, string? deviationReason, IReadOnlyList<string>? addressesFindings, bool includeUnplanned = false) =>
        implementer.CommitStep(actor, id, step, message, paths, deviationReason, addressesFindings, includeUnplanned);

    /// <inheritdoc cref="ImplementerCommands.SubmitForReviewAsync"/>
    public Task<LoadedPlan> SubmitForReviewAsync(Actor actor, string id, CancellationToken cancellationToken) => implementer.SubmitForReviewAsync(actor, id, cancellationToken);

    /// <inheritdoc cref="ImplementationEvidenceReader.CommitsOutsideCommitStep"/>
    public IReadOnlyList<CommitFacts> CommitsOutsideCommitStep(LoadedPlan plan) => evidence.CommitsOutsideCommitStep(plan);

    /// <inheritdoc cref="ImplementationEvidenceReader.EditsAroundHooks"/>
    public IReadOnlyList<GuardedEdit> EditsAroundHooks(LoadedPlan plan) => evidence.EditsAroundHooks(plan);

    /// <inheritdoc cref="ImplementationEvidenceReader.ObservedEdits"/>
    public IReadOnlyList<GuardedEdit> ObservedEdits(LoadedPlan plan) => evidence.ObservedEdits(plan);

    /// <inheritdoc cref="ImplementationEvidenceReader.ApprovalTag"/>
    public static string ApprovalTag(Approval approval) => ImplementationEvidenceReader.ApprovalTag(approval);

    /// <inheritdoc cref="WorkflowGuards.RequireApproved"/>
    public static void RequireApproved(LoadedPlan plan) => WorkflowGuards.RequireApproved(plan);

    // ---------------------------------------------------------------- owner

    /// <inheritdoc cref="OwnerDecisions.Approve"/>
    public LoadedPlan Approve(string id, string approver, string channel, ApprovalEvidence? evidence, string? shaPrefix) => owner.Approve(id, approver, channel, evidence, shaPrefix);

    /// <inheritdoc cref="OwnerDecisions.Repair"/>
    public (LoadedPlan Plan, IReadOnlyList<TamperFinding> Accepted) Repair(string id) => owner.Repair(id);

    // The person's decisions carry the channel they came through into the journal: the CLI unless said otherwise.
    public LoadedPlan RequestChanges(string id, string note, string channel = ApprovalChannels.Cli) => owner.RequestChanges(id, note, channel);

    /// <inheritdoc cref="OwnerDecisions.IntegrateAsync"/>
    public Task<(LoadedPlan Plan, IntegrationCandidate Candidate, PlanWorktreeRemoval? Worktree)> IntegrateAsync(string id, string? target, IBranchIntegrator integrator, CancellationToken cancellationToken, string channel = ApprovalChannels.Cli) =>
        owner.IntegrateAsync(id, target, integrator, channel, cancellationToken);

    public LoadedPlan Complete(string id, string channel = ApprovalChannels.Cli) => owner.Complete(id, integratedCommit: null, channel);

    public LoadedPlan Abandon(string id, string reason, string channel = ApprovalChannels.Cli) => owner.Abandon(id, reason, channel);

    /// <inheritdoc cref="OwnerDecisions.ParseRisk"/>
    public static RiskLevel? ParseRisk(string? stated) => OwnerDecisions.ParseRisk(stated);

    // ---------------------------------------------------------------- recovery and journal

    /// <summary>
    /// Brings records in line with the disk after a crash or a person's <c>mv</c>: a record that lags its plan's folder
    /// is rewritten, and step commits whose record write was lost are adopted. Returns how many plans it changed.
    /// </summary>
    public int Reconcile() => recovery.Reconcile();

    /// <inheritdoc cref="WorkflowJournal.Refusal"/>
    public void JournalRefusal(Actor actor, string action, string? id, PlanRefusedException refusal, string? argumentsDigest, string? channel = null) =>
        journal.Refusal(actor, action, id, refusal, argumentsDigest, channel);

    /// <summary>Journals a person's action that concerns no plan (issuing or revoking an HTTP token), under the lock.</summary>
    public void JournalOwnerAction(string action, string detail) => journal.OwnerAction(action, detail);

    public static string DigestArguments(string argumentsJson) => WorkflowJournal.DigestArguments(argumentsJson);
}
