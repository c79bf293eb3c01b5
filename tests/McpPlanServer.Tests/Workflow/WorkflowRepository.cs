using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Tests.Git;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The workflow on a real temporary git repository with the real file store and the real verification runner: a plan
/// with two steps (a value file and its check), two success criteria and one security-checklist item.
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

    public WorkflowRepository(string? verifyCommand = null)
    {
        Config = new PlanServerConfig { Verify = new VerifySettings { Command = verifyCommand, TimeoutSeconds = 60 } };
        Store = new FilePlanStore(Git.Root, Config);
        Runner = new ShellVerificationRunner(Git.Root, Git.Gateway, TimeProvider.System);
        Workflow = new PlanWorkflow(Store, Config, Git.Gateway, Runner, TimeProvider.System);
    }

    public TemporaryGitRepository Git { get; } = new();

    public PlanServerConfig Config { get; }

    public FilePlanStore Store { get; }

    public ShellVerificationRunner Runner { get; }

    public PlanWorkflow Workflow { get; }

    /// <summary>A second server process's view of the same repository (fresh objects, nothing shared in memory).</summary>
    public PlanWorkflow Restarted() =>
        new(new FilePlanStore(Git.Root, Config), Config, Git.Gateway, Runner, TimeProvider.System);

    public LoadedPlan WriteAndApprove(string text = PlanText)
    {
        Workflow.WritePlan(Actor.Planner, Id, text, null);
        return Workflow.Approve(Id, "Ada", ApprovalChannels.Cli, null, Workflow.ReadPlan(Id).TextSha256);
    }

    public StepCommitOutcome Commit(int step, string message, params string[] paths) =>
        Workflow.CommitStep(Actor.Implementer, Id, step, message, paths.Length == 0 ? null : paths, null, null);

    public StepCommitOutcome Fix(int step, string message, string finding, params string[] paths) =>
        Workflow.CommitStep(Actor.Implementer, Id, step, message, paths.Length == 0 ? null : paths, null, [finding]);

    /// <summary>Approves the plan and commits both steps correctly (a = 2, and the check).</summary>
    public void ImplementBothSteps(string value = "a = 2")
    {
        WriteAndApprove();
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
