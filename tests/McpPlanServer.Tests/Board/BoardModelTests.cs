using System.Diagnostics;
using System.Text.Json;
using McpPlanServer.Board;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Board;

/// <summary>
/// The board's page model patched with the plans that changed (as the change monitor names them) must equal a model
/// built from scratch by a fresh process after every kind of change: created, edited, moved by hand or by the workflow,
/// deleted, a record rewritten, a text edited in place, a burst, HEAD moved, a change only the poll saw. What cannot be
/// attributed (a file outside the plans, a plan in two folders) rebuilds the whole model, and that too equals a fresh one.
/// </summary>
public sealed class BoardModelTests : IDisposable
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);
    private readonly BoardPlans plans = new();

    public void Dispose() => plans.Dispose();

    private string PlansRoot => plans.Services.PlansRootPath;

    private string PlanFile(string folder, string id) => Path.Combine(PlansRoot, folder, id + ".md");

    [Fact]
    public Task A_new_plan_is_patched_in() =>
        AssertFollowedAsync(() => plans.Write("late", "Late plan", dependsOn: "awaiting"));

    [Fact]
    public Task A_plan_rewritten_by_the_planner_is_patched_in() =>
        AssertFollowedAsync(() => plans.Workflow.WritePlan(Actor.Planner, "awaiting", BoardPlans.Text("awaiting", "Search index, second draft"), 1));

    [Fact]
    public Task A_plan_moved_between_state_folders_by_hand_is_patched_in() =>
        AssertFollowedAsync(() => File.Move(PlanFile("Review", "awaiting"), PlanFile("Active", "awaiting")));

    [Fact]
    public async Task A_plan_completed_by_the_workflow_updates_the_readiness_of_the_plans_that_wait_for_it()
    {
        plans.Write("after-passed", "Release notes", dependsOn: "passed");
        await AssertFollowedAsync(() => plans.Workflow.Complete("passed"));
    }

    [Fact]
    public Task A_deleted_plan_leaves_the_model_and_its_dependents_wait_for_no_such_plan() =>
        AssertFollowedAsync(() => File.Delete(PlanFile("Active", "building")));

    [Fact]
    public Task A_record_rewritten_by_a_decision_is_patched_in() =>
        AssertFollowedAsync(() => plans.Workflow.RequestChanges("awaiting", "Name the index's fields."));

    /// <summary>The poll is an hour away: only the watcher sees a text rewritten in place (no folder time changes).</summary>
    [Fact]
    public Task A_text_edited_in_place_by_hand_is_patched_in() =>
        AssertFollowedAsync(() =>
        {
            var path = PlanFile("Review", "awaiting");
            File.WriteAllText(path, File.ReadAllText(path).Replace("# Plan: Search index", "# Plan: Search index by hand", StringComparison.Ordinal));
        });

    [Fact]
    public Task A_burst_of_changes_by_several_writers_is_patched_in() =>
        AssertFollowedAsync(() =>
        {
            var other = PlanServices.Open(plans.Repository.Root).Workflow;
            for (var i = 0; i < 25; i++)
            {
                plans.Write($"burst-{i}", $"Burst {i}", dependsOn: i % 5 == 0 ? "building" : null);
            }

            other.RequestChanges("awaiting", "From another process.");
            File.Move(PlanFile("Review", "revise"), PlanFile("Completed", "revise"));
            File.Delete(PlanFile("Review", "burst-3"));
            plans.Step("building", 1, "one");
            other.Claims.Take("building");
        });

    /// <summary>A step commit moves HEAD, which decides every active plan's steps: all of them are read again.</summary>
    [Fact]
    public Task A_step_commit_is_patched_in_with_every_active_plan_read_again() =>
        AssertFollowedAsync(() => plans.Step("building", 1, "one"));

    /// <summary>No watcher (its events never came): the poll sees the move and names the files from its listings.</summary>
    [Fact]
    public Task A_change_the_watcher_missed_is_caught_by_the_poll_and_patched_in() =>
        AssertFollowedAsync(() => File.Move(PlanFile("Review", "awaiting"), PlanFile("Completed", "awaiting")), watch: false);

    /// <summary>A plan in two folders is listed twice, each copy unusable: only the whole listing says so.</summary>
    [Fact]
    public Task A_plan_copied_into_a_second_folder_rebuilds_the_whole_model() =>
        AssertFollowedAsync(() => File.Copy(PlanFile("Review", "awaiting"), PlanFile("Active", "awaiting")), patched: false);

    [Fact]
    public void A_change_that_names_no_plan_rebuilds_the_whole_model()
    {
        var repository = Board();
        var before = repository.Snapshots.Current(DateTimeOffset.UtcNow);
        PlanServices.Open(plans.Repository.Root).Workflow.Claims.Take("building");
        repository.Snapshots.Changed(BoardEvents.PlanIdsOf(PlanChanges.Of(["claims.json"])));
        var after = repository.Snapshots.Current(DateTimeOffset.UtcNow);
        Assert.NotSame(before, after);
        Assert.False(repository.Snapshots.LastWasPatch);
        Assert.NotNull(after.Cards.Single(card => card.Id == "building").Claim);
        Assert.Equal(Describe(FreshModel()), Describe(after));
    }

    [Fact]
    public void Changed_files_name_their_plans_and_anything_else_names_every_plan()
    {
        Assert.Equal(
            ["a", "b", "c"],
            BoardEvents.PlanIdsOf(PlanChanges.Of(["Review/a.md", "Active/a.md", ".records/b.json", ".records/c.review-2.md", "Review/README.MD", "Review/Not An Id.md"]))!.Order(StringComparer.Ordinal));
        Assert.Null(BoardEvents.PlanIdsOf(PlanChanges.Unknown));
        Assert.Null(BoardEvents.PlanIdsOf(PlanChanges.Of(["claims.json"])));
        Assert.Null(BoardEvents.PlanIdsOf(PlanChanges.Of(["Review/nested/a.md"])));
    }

    private BoardRepository Board() => new("r", "r", PlansRoot, PlanServices.Open(plans.Repository.Root).Workflow);

    private BoardSnapshot FreshModel() => Board().Snapshots.Current(DateTimeOffset.UtcNow);

    /// <summary>
    /// A board model of its own process, built whole, then told of changes by a real change monitor (as
    /// <c>mcpplan board</c> is) while <paramref name="change"/> runs; it must come to equal a fresh process's model, and
    /// (unless <paramref name="patched"/> is false) by a patch, not a rebuild.
    /// </summary>
    private async Task AssertFollowedAsync(Action change, bool watch = true, bool patched = true)
    {
        var repository = Board();
        var before = repository.Snapshots.Current(DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        _ = repository.Snapshots.Metrics(now);
        using var stop = new CancellationTokenSource();
        var monitor = new PlanChangeMonitor(PlansRoot, watch ? Never : TimeSpan.FromMilliseconds(100), watch);
        var running = monitor.RunWithChangesAsync(
            (changes, _) =>
            {
                repository.Snapshots.Changed(BoardEvents.PlanIdsOf(changes));
                return Task.CompletedTask;
            },
            stop.Token);

        change();
        var expected = Describe(FreshModel());
        Assert.NotEqual(Describe(before), expected);
        var followed = Describe(before);
        var waited = Stopwatch.StartNew();
        while (followed != expected && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
            followed = Describe(repository.Snapshots.Current(DateTimeOffset.UtcNow));
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(expected, followed);
        Assert.Equal(patched, repository.Snapshots.LastWasPatch);

        // The numbers page's records, patched with the same changes, count as a fresh process's.
        Assert.Equal(JsonSerializer.Serialize(Board().Snapshots.Metrics(now)), JsonSerializer.Serialize(repository.Snapshots.Metrics(now)));
    }

    /// <summary>Everything a card carries, by value (the summary, dependencies, readiness and claim), one line per card in order.</summary>
    private static string Describe(BoardSnapshot snapshot) => string.Join(
        '\n',
        snapshot.Cards.Select(card =>
            $"{card.Summary} depends on [{string.Join(',', card.DependsOn)}] ready {card.Readiness.Ready} waiting for [{string.Join(',', card.Readiness.WaitingFor)}] claim {card.Claim}"));
}
