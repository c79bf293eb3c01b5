using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;
using McpPlanServer.Tests.Git;
using McpPlanServer.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The workflow in process on a real temporary git repository with the real file store: a plan with two steps (a value
/// file and its check), two success criteria and one security-checklist item. Time is a <see cref="FakeTimeProvider"/>,
/// crash points go to <see cref="Faults"/>, and the verifier is the real runner unless a test passes a
/// <see cref="RecordingVerifier"/> (the verifier runs arbitrary commands; git and the store are always real).
/// </summary>
internal sealed class WorkflowRepository : IDisposable
{
    public const string Id = "value";

    public const string PlanText = """
        # Plan: Value file

        **Created**: 2026-12-01
        **Author**: Claude Zero
        **Risk level**: Low

        ## Summary
        Write the value and a check for it.

        ## Files to Create
        ### 1. `src/value.txt`
        ### 2. `tests/check.sh`

        ## Implementation Steps
        1. **Write the value** in `src/value.txt`
        2. **Add the check** in `tests/check.sh`

        ## Success Criteria
        - [ ] `src/value.txt` holds the line "a = 2"
        - [ ] `sh tests/check.sh` exits 0

        ## Security Checklist
        - [ ] No secret is written to `src/value.txt`
        """;

    public const string Check = "grep -qx 'a = 2' src/value.txt || { echo \"value is: $(cat src/value.txt)\"; exit 1; }\necho value ok\n";

    public WorkflowRepository(string? verifyCommand = null, Func<TimeProvider, IVerificationRunner>? verifier = null, PlanServerConfig? config = null)
    {
        Config = (config ?? new PlanServerConfig()) with { Verify = new VerifySettings { Command = verifyCommand, TimeoutSeconds = 60 } };
        Gateway = new GitRepositoryGateway(Git.Root, Faults);
        Store = new FilePlanStore(Git.Root, Config, Faults);
        Runner = new ShellVerificationRunner(Git.Root, Gateway, TimeProvider.System);
        Verifier = verifier?.Invoke(Clock) ?? Runner;
        Workflow = new PlanWorkflow(Store, Config, Gateway, Verifier, Clock, Faults);
    }

    public TemporaryGitRepository Git { get; } = new();

    /// <summary>The repository's gateway, reporting its crash points to <see cref="Faults"/>.</summary>
    public GitRepositoryGateway Gateway { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The crash points of this fixture's store, gateway and workflow (no other test shares them).</summary>
    public FaultProbe Faults { get; } = new();

    public PlanServerConfig Config { get; }

    public FilePlanStore Store { get; }

    public ShellVerificationRunner Runner { get; }

    public IVerificationRunner Verifier { get; }

    public PlanWorkflow Workflow { get; }

    /// <summary>A second server process's view of the same repository (fresh objects, nothing shared in memory).</summary>
    public PlanWorkflow Restarted() =>
        new(new FilePlanStore(Git.Root, Config, Faults), Config, Gateway, Verifier, Clock, Faults);

    /// <summary>
    /// Runs a call the workflow must refuse with <paramref name="code"/> and checks that the refusal changed nothing:
    /// HEAD, git's index and every file of the working tree, the plans root included.
    /// </summary>
    public PlanRefusedException Refused(string code, Action call)
    {
        Store.AcquireLock().Dispose();
        var before = RepositorySnapshot.Take(Git);
        var refusal = Assert.Throws<PlanRefusedException>(call);
        Assert.Equal(code, refusal.Code);
        before.AssertUnchanged(Git);
        return refusal;
    }

    /// <inheritdoc cref="Refused"/>
    public async Task<PlanRefusedException> RefusedAsync(string code, Func<Task> call)
    {
        Store.AcquireLock().Dispose();
        var before = RepositorySnapshot.Take(Git);
        var refusal = await Assert.ThrowsAsync<PlanRefusedException>(call);
        Assert.Equal(code, refusal.Code);
        before.AssertUnchanged(Git);
        return refusal;
    }

    /// <summary>The path of a file in the plans root (a state folder's plan, a record) for hand edits.</summary>
    public string PlansFile(string relative) => Path.Combine(Store.RootPath, relative);

    /// <summary>
    /// Dates the state folders and the records folder an hour back, as in a server that runs on after the last change: the
    /// store then keeps its folder listing (only folders older than 2 s are trusted), so listings take their kept paths.
    /// </summary>
    public void SettleFolders()
    {
        foreach (var folder in new[] { "Review", "Active", "Completed", ".records" }.Select(PlansFile).Where(Directory.Exists))
        {
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddHours(-1));
        }
    }

    public LoadedPlan WriteAndApprove(string text = PlanText)
    {
        Workflow.WritePlan(Actor.Planner, Id, text, null);
        return Workflow.Approve(Id, "Ada", ApprovalChannels.Cli, null, Workflow.ReadPlan(Id).TextSha256);
    }

    public StepCommitOutcome Commit(int step, string message, params string[] paths) =>
        Workflow.CommitStep(Actor.Implementer, Id, step, message, paths.Length == 0 ? null : paths, null, null);

    public StepCommitOutcome Fix(int step, string message, string finding, params string[] paths) =>
        Workflow.CommitStep(Actor.Implementer, Id, step, message, paths.Length == 0 ? null : paths, null, [finding]);

    /// <summary>Approves the plan (by the CLI, or as <paramref name="approve"/> does it) and commits both steps correctly (a = 2, and the check).</summary>
    public void ImplementBothSteps(string value = "a = 2", Action? approve = null)
    {
        if (approve is null)
        {
            WriteAndApprove();
        }
        else
        {
            approve();
        }

        Git.Write("src/value.txt", value + "\n");
        Commit(1, "Write the value");
        Git.Write("tests/check.sh", Check);
        Commit(2, "Add the check");
    }

    public static IReadOnlyList<ChecklistAnswer> Answers(bool c1 = true, bool c2 = true, bool s1 = true) =>
    [
        new("C1", string.Empty, c1, "src/value.txt:1"),
        new("C2", string.Empty, c2, "`sh tests/check.sh` printed: value ok"),
        new("S1", string.Empty, s1, "src/value.txt holds only the value"),
    ];

    public static ReviewSubmission Review(int score, IReadOnlyList<ChecklistAnswer>? answers = null, params Core.Reviews.FindingInput[] findings) =>
        new(new Dictionary<string, int> { ["architecture"] = score, ["code_quality"] = score, ["testing"] = score, ["performance"] = score, ["security"] = score }, findings, "review")
        {
            Answers = answers ?? Answers(),
        };

    public void Dispose() => Git.Dispose();
}
