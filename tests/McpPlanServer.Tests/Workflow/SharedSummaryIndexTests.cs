using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;
using McpPlanServer.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// The summaries shared between processes (<see cref="SharedSummaryFile"/>): a fresh process takes an unchanged plan's
/// summary from the file and gives the answer a fresh read gives after every kind of change; an entry that does not
/// verify (edited by hand, signed with another key, for another plans root) or sits behind a link is never served.
/// </summary>
public sealed class SharedSummaryIndexTests : IDisposable
{
    private readonly WorkflowRepository repository = new();
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);

    private string SharedPath => Path.Combine(repository.Git.Root, ".git", "mcpplan", "summaries.json");

    private string PlanFile(string folder) => Path.Combine(repository.Store.RootPath, folder, WorkflowRepository.Id + ".md");

    /// <summary>
    /// A new process sharing the file. Its clock is minutes ahead of the files' times, so what it reads counts as settled
    /// (in real time that is the case for any file not written in the last two seconds).
    /// </summary>
    private PlanWorkflow SharingProcess(byte[]? signingKey = null, string? scope = null)
    {
        var workflow = new PlanWorkflow(
            new FilePlanStore(repository.Git.Root, repository.Config),
            repository.Config,
            new GitRepositoryGateway(repository.Git.Root),
            null,
            new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10)));
        workflow.Index.Shared = new SharedSummaryFile(SharedPath, signingKey ?? key, scope ?? SharedSummaryFile.ScopeOf(repository.Store.RootPath));
        return workflow;
    }

    /// <summary>One sharing process lists (and saves), a second lists; both answer what a process without sharing answers. Returns the second.</summary>
    private (IReadOnlyList<PlanSummary> Listed, int SharedHits) AssertSameAsFresh()
    {
        var fresh = repository.Restarted().ListPlans();
        Assert.Equal(fresh, SharingProcess().ListPlans());
        var second = SharingProcess();
        var listed = second.ListPlans();
        Assert.Equal(fresh, listed);
        return (listed, second.Index.SharedHits);
    }

    [Fact]
    public void A_fresh_process_takes_an_unchanged_plans_summary_from_the_shared_file()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);

        var (listed, hits) = AssertSameAsFresh();

        Assert.Single(listed);
        Assert.Equal(1, hits);
        Assert.True(File.Exists(SharedPath));
    }

    [Fact]
    public void After_every_kind_of_change_a_fresh_process_answers_as_a_fresh_read()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        AssertSameAsFresh();

        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText.Replace("Value file", "Value file, renamed", StringComparison.Ordinal), 1);
        Assert.Equal("Value file, renamed", AssertSameAsFresh().Listed.Single().Title);

        File.WriteAllText(PlanFile("Review"), WorkflowRepository.PlanText.Replace("Value file", "Edited by hand", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(PlanFile("Review"), DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal("Edited by hand", AssertSameAsFresh().Listed.Single().Title);

        var status = AssertSameAsFresh().Listed.Single().Status;
        repository.Restarted().RequestChanges(WorkflowRepository.Id, "Say why the value is 2.");
        Assert.NotEqual(status, AssertSameAsFresh().Listed.Single().Status);

        Directory.CreateDirectory(Path.GetDirectoryName(PlanFile("Completed"))!);
        File.Move(PlanFile("Review"), PlanFile("Completed"));
        Assert.Equal(PlanFolder.Completed, AssertSameAsFresh().Listed.Single().Folder);

        File.Delete(Path.Combine(repository.Store.RootPath, ".records", WorkflowRepository.Id + ".json"));
        AssertSameAsFresh();

        File.Delete(PlanFile("Completed"));
        Assert.Empty(AssertSameAsFresh().Listed);
    }

    [Fact]
    public void An_active_plan_shared_at_one_head_is_read_again_at_another()
    {
        repository.ImplementBothSteps();
        var done = repository.Git.Head()!;
        Assert.Equal(2, AssertSameAsFresh().Listed.Single().StepsDone);

        repository.Git.Git("reset", "-q", "--hard", "HEAD~1");
        Assert.Equal(1, AssertSameAsFresh().Listed.Single().StepsDone);

        repository.Git.Git("reset", "-q", "--hard", done);
        var (listed, hits) = AssertSameAsFresh();
        Assert.Equal(2, listed.Single().StepsDone);
        Assert.Equal(1, hits);
    }

    [Fact]
    public void A_hand_edited_file_or_one_signed_with_another_key_or_for_another_plans_root_is_a_miss()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        SharingProcess().ListPlans();
        var signed = File.ReadAllText(SharedPath);
        Assert.Contains("\"Value file\"", signed, StringComparison.Ordinal);

        // The same entry, its title forged, signed with the key: served (the key holds), so the MAC is what refuses the edits below.
        var forgedPayload = signed[(signed.IndexOf('\n', StringComparison.Ordinal) + 1)..].Replace("\"Value file\"", "\"Forged\"", StringComparison.Ordinal);
        File.WriteAllText(SharedPath, Signed(forgedPayload, key));
        var withKey = SharingProcess();
        Assert.Equal("Forged", withKey.ListPlans().Single().Title);
        Assert.Equal(1, withKey.Index.SharedHits);

        foreach (var forged in new[] { signed[..65] + forgedPayload, Signed(forgedPayload, RandomNumberGenerator.GetBytes(32)), "not a summary file" })
        {
            File.WriteAllText(SharedPath, forged);
            var process = SharingProcess();
            Assert.Equal("Value file", process.ListPlans().Single().Title);
            Assert.Equal(0, process.Index.SharedHits);
        }

        SharingProcess().ListPlans();
        var elsewhere = SharingProcess(scope: SharedSummaryFile.ScopeOf(Path.Combine(repository.Git.Outer, "other-plans")));
        elsewhere.ListPlans();
        Assert.Equal(0, elsewhere.Index.SharedHits);
    }

    [Fact]
    public void The_shared_file_is_never_read_or_written_through_a_link()
    {
        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        var outside = Path.Combine(repository.Git.Outer, "summaries-elsewhere");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.GetDirectoryName(SharedPath)!, outside);

        SharingProcess().ListPlans();
        var second = SharingProcess();
        Assert.Single(second.ListPlans());

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Equal(0, second.Index.SharedHits);
    }

    private static string Signed(string payload, byte[] signingKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(payload))) + "\n" + payload;

    [Fact]
    public void A_process_saves_what_it_read_at_once_then_at_most_once_per_interval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
        var process = new PlanWorkflow(new FilePlanStore(repository.Git.Root, repository.Config), repository.Config, new GitRepositoryGateway(repository.Git.Root), null, clock);
        var file = new SharedSummaryFile(SharedPath, key, SharedSummaryFile.ScopeOf(repository.Store.RootPath));
        process.Index.Shared = file;
        bool Saved(string id) => file.Load().ContainsKey((id, PlanFolder.Review));

        repository.Workflow.WritePlan(Actor.Planner, WorkflowRepository.Id, WorkflowRepository.PlanText, null);
        process.ListPlans();
        Assert.True(Saved(WorkflowRepository.Id));

        repository.Workflow.WritePlan(Actor.Planner, "other", WorkflowRepository.PlanText, null);
        process.ListPlans();
        Assert.False(Saved("other"));

        clock.Advance(PlanLimits.SharedSummariesSaveInterval);
        process.ListPlans();
        Assert.True(Saved("other"));
        Assert.True(Saved(WorkflowRepository.Id));
    }

    public void Dispose() => repository.Dispose();
}
