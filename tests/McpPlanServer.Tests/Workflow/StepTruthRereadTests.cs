using McpPlanServer.Git;

namespace McpPlanServer.Tests.Workflow;

/// <summary>
/// Git's answers about a plan's step commits are kept per (tree, path) for the life of the process (a tree never changes),
/// so each read must still judge the steps by the HEAD of that moment: undone by hand, redone by hand.
/// </summary>
public sealed class StepTruthRereadTests : IDisposable
{
    private readonly WorkflowRepository repository = new();

    [Fact]
    public void A_step_undone_and_then_redone_outside_commit_step_is_read_each_time_as_git_has_it_then()
    {
        repository.ImplementBothSteps();
        Assert.All(repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Steps, step => Assert.True(step.Done));

        repository.Git.Git("rm", "-q", "src/value.txt");
        repository.Git.Git("commit", "-q", "-m", "remove the value by hand");
        var undone = repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Steps;
        Assert.False(undone[0].Done);
        Assert.Contains("put src/value.txt", undone[0].Problem, StringComparison.Ordinal);
        Assert.True(undone[1].Done);

        repository.Git.CommitWithCli("src/value.txt", "a = 2\n", "put the value back by hand");
        var redone = repository.Workflow.ReadPlan(WorkflowRepository.Id).Record.Steps;
        Assert.All(redone, step => Assert.True(step.Done));
        Assert.Null(redone[0].Problem);
    }

    [Fact]
    public void Libgit2_takes_the_object_cache_settings_through_the_library_libgit2sharp_loaded()
    {
        Assert.SkipWhen(OperatingSystem.IsMacOS() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64, "not set on Apple's arm64 (variadic arguments go on the stack there)");

        Assert.True(GitObjectCache.Ensure());
    }

    public void Dispose() => repository.Dispose();
}
