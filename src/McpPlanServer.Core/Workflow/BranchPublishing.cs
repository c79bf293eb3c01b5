using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Issue 19 item 2, kept out of <see cref="PlanWorkflow"/>: when a step commit is published, and what a retried
/// commit_step answers once the commit it left behind (after a rejected push) is adopted.
/// </summary>
public static class BranchPublishing
{
    /// <summary>
    /// Pushes <paramref name="sha"/> when a publisher is configured. True when it is on the remote (or there is no remote);
    /// false when the push failed and <paramref name="leavePendingIfUnpublished"/> (start-up): the commit stays pending.
    /// Otherwise a failed push is the caller's refusal.
    /// </summary>
    public static bool TryPublish(IBranchPublisher? publisher, string planId, int step, string sha, bool leavePendingIfUnpublished)
    {
        if (publisher is null)
        {
            return true;
        }

        try
        {
            publisher.Publish(planId, step, sha);
            return true;
        }
        catch (PlanRefusedException) when (leavePendingIfUnpublished)
        {
            return false;
        }
    }

    /// <summary>The step's last recorded commit, as commit_step reports a commit it made.</summary>
    public static CommittedStep? RetriedCommit(LoadedPlan plan, int step, IRepositoryGateway git)
    {
        if (step < 1 || step > plan.Record.Steps.Count || plan.Record.Steps[step - 1].Commits is not [.., var last])
        {
            return null;
        }

        var facts = git.CommitsSince(plan.Record.Approval?.BaseCommit, 500).FirstOrDefault(commit => commit.Sha == last.Sha);
        return facts is null ? null : new CommittedStep(last.Sha, facts.ParentSha, git.WithFiles(facts).Files);
    }

    /// <summary>The plan's recorded step commits that are not on the remote (as last pushed or fetched), in step order.</summary>
    public static IReadOnlyList<string> CommitsNotOnRemote(IBranchPublisher publisher, LoadedPlan plan) =>
        [.. plan.Record.Steps.SelectMany(step => step.Commits).Select(commit => commit.Sha).Where(sha => !publisher.IsOnRemote(sha))];
}
