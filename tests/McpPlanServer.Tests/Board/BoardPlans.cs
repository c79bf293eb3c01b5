using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Reviews;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Tests.Git;

namespace McpPlanServer.Tests.Board;

/// <summary>
/// A real git repository with plans in every state, made through the real workflow (the same operations the tools and
/// the CLI call), plus one hostile plan whose every field carries markup.
/// </summary>
internal sealed class BoardPlans : IDisposable
{
    public const string Hostile = "hostile";

    /// <summary>Plan id → the state the fixture leaves it in.</summary>
    public static readonly IReadOnlyDictionary<string, PlanState> States = new Dictionary<string, PlanState>(StringComparer.Ordinal)
    {
        ["awaiting"] = new(PlanFolder.Review, PlanStatus.AwaitingApproval),
        ["revise"] = new(PlanFolder.Review, PlanStatus.ChangesRequested),
        ["building"] = new(PlanFolder.Active, PlanStatus.Implementing),
        ["stuck"] = new(PlanFolder.Active, PlanStatus.Blocked),
        ["handed-in"] = new(PlanFolder.Active, PlanStatus.InReview),
        ["second-round"] = new(PlanFolder.Active, PlanStatus.ChangesRequested),
        ["passed"] = new(PlanFolder.Active, PlanStatus.Verified),
        ["shipped"] = new(PlanFolder.Completed, PlanStatus.Completed),
        ["dropped"] = new(PlanFolder.Completed, PlanStatus.Abandoned),
        ["waits-on-building"] = new(PlanFolder.Review, PlanStatus.AwaitingApproval),
        [Hostile] = new(PlanFolder.Review, PlanStatus.AwaitingApproval),
    };

    public BoardPlans()
    {
        Repository = new TemporaryGitRepository();
        Repository.Write(PlanServices.ConfigRelativePath, """{ "verify": { "command": "echo verification: 12 tests passed" } }""");
        Services = PlanServices.Open(Repository.Root, new SteppingClock(DateTimeOffset.UtcNow.AddDays(-6), TimeSpan.FromMinutes(9)));
        var workflow = Services.Workflow;

        Write("awaiting", "Search index");
        Write("revise", "Rate limiter");
        workflow.RequestChanges("revise", "Name the limits per endpoint.");
        Approved("building", "Export to CSV");
        Approved("stuck", "Payment webhooks");
        workflow.ReportBlocker(Actor.Implementer, "stuck", 1, "Which signing secret does staging use?");
        Implemented("handed-in", "Audit log");
        Implemented("second-round", "Session timeout");
        Review("second-round", 72);
        Implemented("passed", "Health endpoint");
        Review("passed", 95);
        Implemented("shipped", "Greeting module");
        Review("shipped", 84);
        Repository.Write("src/shipped/two.txt", "two, second pass\n");
        Repository.Write("docs/notes.md", "found on the way\n");
        Workflow.CommitStep(Actor.Implementer, "shipped", 2, "Second pass, with a note", ["src/shipped/two.txt", "docs/notes.md"], null, ["R1-F1"]);
        workflow.SubmitForReviewAsync(Actor.Implementer, "shipped", CancellationToken.None).GetAwaiter().GetResult();
        Review("shipped", 96);
        workflow.Complete("shipped");
        Write("dropped", "Legacy importer");
        workflow.Abandon("dropped", "Superseded by the CSV export.");
        Write("waits-on-building", "CSV scheduling", dependsOn: "building");
        workflow.WritePlan(Actor.Planner, Hostile, HostileText, null);
    }

    /// <summary>Markup in the title, metadata, steps, criteria, a raw script, an event handler and unsafe links.</summary>
    public const string HostileText = """
        # Plan: <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">

        **Created**: <b>today</b>
        **Author**: <script>window.__pwned = 3</script>
        **Estimated effort**: "><svg onload=window.__pwned=4>
        **Risk level**: Low

        ## Summary
        <script>window.__pwned = 5</script>
        [click me](javascript:window.__pwned=6) and [tab](java	script:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)
        and <javascript:alert(7)> and [fine](https://example.com/docs) and [local](#files-to-create)
        ![tracker](https://tracker.example/pixel.png) <iframe src="https://evil.example"></iframe>

        ## Files to Create
        ### 1. `src/a"onmouseover="x.txt`

        ## Implementation Steps
        1. **Write <i>it</i>** in `src/a"onmouseover="x.txt` <script>window.__pwned = 8</script>

        ## Success Criteria
        - [ ] `src/a"onmouseover="x.txt` holds <b onclick="window.__pwned=9">bold</b>
        """;

    public TemporaryGitRepository Repository { get; }

    public PlanServices Services { get; }

    public PlanWorkflow Workflow => Services.Workflow;

    public static string Text(string id, string title, string? dependsOn = null) => $"""
        # Plan: {title}

        **Created**: 2026-12-01
        **Author**: Claude Zero
        **Estimated effort**: 2 hours
        **Risk level**: Medium
        {(dependsOn is null ? string.Empty : $"**Depends on**: {dependsOn}")}

        ## Summary
        {title} for the app, in two small steps. See [the docs](https://example.com/{id}).

        ## Files to Create
        ### 1. `src/{id}/one.txt`
        ### 2. `src/{id}/two.txt`

        ## Implementation Steps
        1. **First part** in `src/{id}/one.txt`
        2. **Second part** in `src/{id}/two.txt`

        ## Success Criteria
        - [ ] `src/{id}/one.txt` contains the text "one"
        - [ ] `src/{id}/two.txt` contains the text "two"
        """;

    public void Write(string id, string title, string? dependsOn = null) =>
        Workflow.WritePlan(Actor.Planner, id, Text(id, title, dependsOn), null);

    public void Approved(string id, string title)
    {
        Write(id, title);
        Workflow.Approve(id, "Test Person", ApprovalChannels.Cli, null, Workflow.ReadPlan(id).TextSha256);
    }

    public void Step(string id, int step, string content)
    {
        var path = $"src/{id}/{(step == 1 ? "one" : "two")}.txt";
        Repository.Write(path, $"{content}\n");
        Workflow.CommitStep(Actor.Implementer, id, step, $"Step {step} of {id}", [path], null, null);
    }

    private void Implemented(string id, string title)
    {
        Approved(id, title);
        Step(id, 1, "one");
        Step(id, 2, "two");
        Workflow.SubmitForReviewAsync(Actor.Implementer, id, CancellationToken.None).GetAwaiter().GetResult();
    }

    private void Review(string id, int score)
    {
        var scores = Workflow.Config.Rubric.ToDictionary(category => category.Name, _ => score);
        IReadOnlyList<FindingInput> findings = score < Workflow.Config.Threshold
            ? [new FindingInput(FindingSeverity.Major, $"src/{id}/two.txt", "The second part misses the edge case.")]
            : [];
        // Every success criterion answered with its evidence, as submit_review requires.
        IReadOnlyList<ChecklistAnswer> answers =
        [
            new("C1", string.Empty, true, $"cat src/{id}/one.txt prints one"),
            new("C2", string.Empty, score >= Workflow.Config.Threshold, $"cat src/{id}/two.txt prints two"),
        ];
        Workflow.SubmitReview(Actor.Planner, id, new ReviewSubmission(scores, findings, $"Round for {id} at {score}.") { Answers = answers });
    }

    public void Dispose() => Repository.Dispose();
}
