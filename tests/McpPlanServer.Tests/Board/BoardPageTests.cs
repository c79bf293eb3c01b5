using System.Net;
using McpPlanServer.Board;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Tests.Board;

/// <summary>The page model, the pages and the person's decisions on a real board over a repository with every state.</summary>
public sealed class BoardPageTests : IDisposable
{
    private readonly BoardPlans plans = new();

    private string Key => BoardRepository.KeysFor([plans.Repository.Root])[0];

    private string PlanPath(string id) => $"/r/{Key}/plans/{id}";

    public void Dispose() => plans.Dispose();

    [Fact]
    public void The_page_model_puts_every_plan_in_the_lane_of_its_state_with_readiness()
    {
        var repository = new BoardRepository("r", "r", plans.Services.PlansRootPath, plans.Workflow);
        var snapshot = repository.Snapshots.Current(DateTimeOffset.UtcNow);
        foreach (var (id, state) in BoardPlans.States)
        {
            var lanes = BoardLane.All.Where(lane => snapshot.In(lane).Any(card => card.Id == id)).ToList();
            var lane = Assert.Single(lanes);
            Assert.Equal(state.Folder, lane.Folder);
            Assert.Contains(state.Status, lane.Statuses);
        }

        var waiting = snapshot.Cards.Single(card => card.Id == "waits-on-building");
        Assert.Equal(["building"], waiting.DependsOn);
        Assert.False(waiting.Readiness.Ready);
        Assert.Equal(["building (implementing)"], waiting.Readiness.WaitingFor);
        var shipped = snapshot.Cards.Single(card => card.Id == "shipped");
        Assert.Equal(2, shipped.Summary.Iterations);
        Assert.Equal(96, shipped.Summary.LastScore);
    }

    [Fact]
    public void The_page_model_is_rebuilt_only_after_a_change_is_signalled()
    {
        var repository = new BoardRepository("r", "r", plans.Services.PlansRootPath, plans.Workflow);
        var first = repository.Snapshots.Current(DateTimeOffset.UtcNow);
        plans.Write("late", "Late plan");
        Assert.Same(first, repository.Snapshots.Current(DateTimeOffset.UtcNow));
        repository.Snapshots.Invalidate();
        Assert.Contains(repository.Snapshots.Current(DateTimeOffset.UtcNow).Cards, card => card.Id == "late");
    }

    [Fact]
    public async Task The_board_page_shows_every_plan_with_steps_score_and_dependencies()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (status, page) = await board.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var id in BoardPlans.States.Keys)
        {
            Assert.Contains($"data-plan=\"{id}\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("waiting for building (implementing)", page, StringComparison.Ordinal);
        Assert.Contains("Health endpoint", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plan_page_shows_approval_evidence_steps_reviews_blockers_and_timeline()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (_, shipped) = await board.GetAsync(PlanPath("shipped"));
        Assert.Contains("Test Person", shipped, StringComparison.Ordinal);
        Assert.Contains("Round 2: 96.0 / threshold 90", shipped, StringComparison.Ordinal);
        Assert.Contains("The second part misses the edge case.", shipped, StringComparison.Ordinal);
        Assert.Contains("/commits/", shipped, StringComparison.Ordinal);
        Assert.DoesNotContain("All requirements covered?", shipped, StringComparison.Ordinal);
        var (_, awaiting) = await board.GetAsync(PlanPath("awaiting"));
        Assert.Contains("All requirements covered?", awaiting, StringComparison.Ordinal);
        var (_, stuck) = await board.GetAsync(PlanPath("stuck"));
        Assert.Contains("Which signing secret does staging use?", stuck, StringComparison.Ordinal);

        var commitLink = shipped[shipped.IndexOf(PlanPath("shipped") + "/commits/", StringComparison.Ordinal)..];
        var (commitStatus, diff) = await board.GetAsync(commitLink[..commitLink.IndexOf('"', StringComparison.Ordinal)]);
        Assert.Equal(HttpStatusCode.OK, commitStatus);
        Assert.Contains("+one", WebUtility.HtmlDecode(diff), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_review_shows_criteria_met_n_of_n_with_the_evidence()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (_, secondRound) = await board.GetAsync(PlanPath("second-round"));
        Assert.Contains("criteria met 1/2", secondRound, StringComparison.Ordinal);
        Assert.Contains("cat src/second-round/two.txt prints two", secondRound, StringComparison.Ordinal);
        var (_, shipped) = await board.GetAsync(PlanPath("shipped"));
        Assert.Contains("criteria met 2/2", shipped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claimed_plan_shows_its_holder_and_fence_on_its_card()
    {
        // Claimed now (the fixture's own clock is days behind, and a claim that old has expired).
        var (_, claim) = PlanServices.Open(plans.Repository.Root).Workflow.Claims.Take("building");
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (_, page) = await board.GetAsync("/");
        Assert.Contains($"data-fence=\"{claim.Fence}\"", CardOf(page, "building"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-fence", CardOf(page, "stuck"), StringComparison.Ordinal);
    }

    private static string CardOf(string page, string id)
    {
        var card = page[page.IndexOf($"data-plan=\"{id}\"", StringComparison.Ordinal)..];
        return card[..card.IndexOf("</article>", StringComparison.Ordinal)];
    }

    /// <summary>The approve form of a plan's page as the browser would send it: its action, CSRF token and shown hash.</summary>
    private async Task<(string Action, Dictionary<string, string> Fields)> ApproveFormAsync(BoardHost board, string id)
    {
        var (_, page) = await board.GetAsync(PlanPath(id));
        var action = PlanPath(id) + "/approve";
        return (action, new Dictionary<string, string> { ["csrf"] = BoardHost.FormField(page, action, "csrf"), ["sha256"] = BoardHost.FormField(page, action, "sha256") });
    }

    [Fact]
    public async Task Approving_on_the_board_goes_through_the_domain_with_channel_board_and_the_shown_hash()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (action, fields) = await ApproveFormAsync(board, "awaiting");
        var (status, _, location) = await board.PostAsync(action, fields);
        Assert.Equal(HttpStatusCode.SeeOther, status);
        Assert.Equal(PlanPath("awaiting") + "?done=approve", location?.OriginalString);

        var plan = plans.Workflow.ReadPlan("awaiting");
        Assert.Equal(PlanFolder.Active, plan.State.Folder);
        Assert.Equal("board", plan.Record.Approval?.Channel);
        Assert.Equal("Board Person", plan.Record.Approval?.Approver);
        Assert.Contains(plans.Workflow.ReadJournal("awaiting"), entry => entry.Action == "approve" && entry.Detail!.Contains("via board", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Approving_on_the_board_a_plan_sharing_files_with_an_approved_one_shows_the_overlap_warning_the_cli_prints()
    {
        // "twin" lists the files of "building", which is approved and being built.
        plans.Workflow.WritePlan(Actor.Planner, "twin", BoardPlans.Text("building", "Twin of building"), null);
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (action, fields) = await ApproveFormAsync(board, "twin");
        var (status, _, location) = await board.PostAsync(action, fields);
        Assert.Equal(HttpStatusCode.SeeOther, status);

        var (_, page) = await board.GetAsync(location!.OriginalString);
        var warning = plans.Workflow.OverlapWarningOf("twin");
        Assert.NotNull(warning);
        Assert.StartsWith("Warning: it shares src/building/one.txt, src/building/two.txt with plan 'building'", warning, StringComparison.Ordinal);
        Assert.Contains(warning, WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        // A plan sharing nothing gets the plain notice only.
        var (plainAction, plainFields) = await ApproveFormAsync(board, "awaiting");
        var (_, _, plainLocation) = await board.PostAsync(plainAction, plainFields);
        var (_, plain) = await board.GetAsync(plainLocation!.OriginalString);
        Assert.DoesNotContain("two builders would edit the same files", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approving_a_text_that_changed_after_the_page_was_loaded_is_refused_and_changes_nothing()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (action, fields) = await ApproveFormAsync(board, "awaiting");
        plans.Workflow.WritePlan(Actor.Planner, "awaiting", BoardPlans.Text("awaiting", "Search index, revised"), 1);

        var (status, body, _) = await board.PostAsync(action, fields);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("changed after this page was loaded", body, StringComparison.Ordinal);
        Assert.Contains("Search index, revised", body, StringComparison.Ordinal);
        var plan = plans.Workflow.ReadPlan("awaiting");
        Assert.Equal(PlanFolder.Review, plan.State.Folder);
        Assert.Null(plan.Record.Approval);
        Assert.Contains(plans.Workflow.ReadJournal("awaiting"), entry => entry.Outcome == "refused" && entry.Detail!.StartsWith("plan_changed", StringComparison.Ordinal));
    }

    private async Task<HttpStatusCode> Decide(BoardHost board, string id, string decision, Dictionary<string, string> fields)
    {
        var (_, page) = await board.GetAsync(PlanPath(id));
        fields["csrf"] = BoardHost.FormField(page, $"{PlanPath(id)}/{decision}", "csrf");
        return (await board.PostAsync($"{PlanPath(id)}/{decision}", fields)).Status;
    }

    [Fact]
    public async Task Request_changes_complete_and_abandon_run_the_domain_operations()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        Task<HttpStatusCode> Decide(string id, string decision, Dictionary<string, string> fields) => this.Decide(board, id, decision, fields);

        Assert.Equal(HttpStatusCode.SeeOther, await Decide("handed-in", "request-changes", new() { ["note"] = "Log the <actor> too." }));
        Assert.Equal(PlanStatus.ChangesRequested, plans.Workflow.ReadPlan("handed-in").State.Status);
        Assert.Equal(HttpStatusCode.SeeOther, await Decide("passed", "complete", []));
        Assert.Equal(PlanStatus.Completed, plans.Workflow.ReadPlan("passed").State.Status);
        Assert.Equal(HttpStatusCode.SeeOther, await Decide("building", "abandon", new() { ["reason"] = "Not needed." }));
        Assert.Equal(PlanStatus.Abandoned, plans.Workflow.ReadPlan("building").State.Status);

        // The lifecycle still decides: an empty note is refused by the domain, shown on the page.
        Assert.Equal(HttpStatusCode.Conflict, await Decide("awaiting", "request-changes", new() { ["note"] = " " }));
        Assert.Equal(PlanStatus.AwaitingApproval, plans.Workflow.ReadPlan("awaiting").State.Status);

        // Every decision and refusal made on the board is journaled with channel board; the fixture's own (the CLI's) with cli.
        foreach (var (id, action) in new[] { ("handed-in", "request_changes"), ("passed", "complete"), ("building", "abandon") })
        {
            Assert.Equal("board", Assert.Single(plans.Workflow.ReadJournal(id), entry => entry.Action == action && entry.Outcome == "ok").Channel);
        }

        Assert.Contains(plans.Workflow.ReadJournal("awaiting"), entry => entry is { Action: "request_changes", Outcome: "refused", Channel: "board" });
        Assert.Equal("cli", Assert.Single(plans.Workflow.ReadJournal("revise"), entry => entry.Action == "request_changes").Channel);
    }

    [Fact]
    public async Task A_verified_plan_is_integrated_on_the_board_as_mcpplan_integrate_does()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (_, building) = await board.GetAsync(PlanPath("building"));
        Assert.DoesNotContain("id=\"integrate\"", building, StringComparison.Ordinal);

        // The current branch already holds the verified commit (the fixture builds on it): refused by the domain, shown on the page.
        Assert.Equal(HttpStatusCode.Conflict, await Decide(board, "passed", "integrate", []));
        Assert.Equal(HttpStatusCode.Conflict, await Decide(board, "passed", "integrate", new() { ["into"] = "no-such-branch" }));
        Assert.Equal(PlanStatus.Verified, plans.Workflow.ReadPlan("passed").State.Status);
        Assert.Contains(plans.Workflow.ReadJournal("passed"), entry => entry is { Action: "integrate", Outcome: "refused", Channel: "board" });

        // A release branch cut at the approval's base commit is fast-forwarded to the verified commit.
        var verified = plans.Workflow.ReadPlan("passed").Record.LastReview!.HeadSha!;
        plans.Repository.Git("branch", "release", plans.Workflow.ReadPlan("passed").Record.Approval!.BaseCommit!);
        Assert.Equal(HttpStatusCode.SeeOther, await Decide(board, "passed", "integrate", new() { ["into"] = "release" }));
        var plan = plans.Workflow.ReadPlan("passed");
        Assert.Equal(PlanStatus.Completed, plan.State.Status);
        Assert.Equal(verified, plan.Record.IntegratedCommit);
        Assert.Equal(verified, plans.Repository.Git("rev-parse", "release").Trim());
        Assert.Equal("board", Assert.Single(plans.Workflow.ReadJournal("passed"), entry => entry is { Action: "complete", Outcome: "ok" }).Channel);
    }

    [Fact]
    public async Task A_change_by_another_writer_reaches_open_pages_as_a_server_sent_event()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        using var request = board.Request(HttpMethod.Get, "/events");
        using var response = await board.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal("retry: 1000", await reader.ReadLineAsync(TestContext.Current.CancellationToken));

        // Another writer: a second composition over the same files, as another process would be.
        var other = PlanServices.Open(plans.Repository.Root);
        other.Workflow.RequestChanges("awaiting", "From elsewhere.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.StartsWith("event: changed", StringComparison.Ordinal));

        Assert.Equal("event: changed", line);

        // The event names what changed: the plan, in its repository.
        var data = await reader.ReadLineAsync(timeout.Token);
        Assert.StartsWith("data: {\"seq\":", data, StringComparison.Ordinal);
        Assert.EndsWith($",\"changed\":{{\"{Key}\":[\"awaiting\"]}}}}", data, StringComparison.Ordinal);
        var (_, page) = await board.GetAsync(PlanPath("awaiting"));
        Assert.Contains("From elsewhere.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_repositories_share_one_board_with_their_own_columns()
    {
        using var second = new BoardPlans();
        await using var board = await BoardHost.StartAsync(plans.Repository.Root, second.Repository.Root);
        var (_, page) = await board.GetAsync("/");
        var keys = BoardRepository.KeysFor([plans.Repository.Root, second.Repository.Root]);
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Contains($"data-repo=\"{keys[0]}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-repo=\"{keys[1]}\"", page, StringComparison.Ordinal);
        var (status, _) = await board.GetAsync($"/r/{keys[1]}/plans/awaiting");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.NotFound, (await board.GetAsync("/r/nope/plans/awaiting")).Status);
    }

    [Fact]
    public async Task The_numbers_page_draws_the_metrics_as_inline_svg()
    {
        await using var board = await BoardHost.StartAsync(plans.Repository.Root);
        var (status, page) = await board.GetAsync("/numbers");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<svg class=\"chart\"", page, StringComparison.Ordinal);
        Assert.Contains("first-pass rate", page, StringComparison.Ordinal);
        Assert.Contains(">33%<", page, StringComparison.Ordinal);
    }
}
