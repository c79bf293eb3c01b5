using System.Globalization;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Git is the truth about step commits: a recorded step is done only while each of its commits is reachable from the
/// branch HEAD is on and no later commit put one of its files back to the content before the step (a commit made from
/// an index that never saw the step, a revert by hand). Applied to every read, so every view says the same.
/// </summary>
internal static class BranchTruth
{
    /// <summary>The record with each step's done flag and problem as git has it now; unchanged without commits or git.</summary>
    public static PlanRecord Apply(PlanRecord record, IRepositoryGateway? git)
    {
        var recorded = record.Steps.SelectMany(step => step.Commits).ToList();
        if (git is null || recorded.Count == 0)
        {
            return record;
        }

        IReadOnlyDictionary<string, StepCommitPresence> presence;
        try
        {
            presence = Check(recorded, git);
        }
        catch (PlanRefusedException)
        {
            // No readable repository here (deleted, corrupt): the record stays as written; commit_step reports the cause.
            return record;
        }

        return record with
        {
            Steps = [.. record.Steps.Select(step =>
            {
                if (step.Commits.Count == 0)
                {
                    return step with { Done = false, Problem = null };
                }

                var problem = Problem(step, presence);
                return step with { Done = problem is null, Problem = problem };
            })],
        };
    }

    /// <summary>Presence of each recorded commit; each is asked only about the paths it was the last recorded commit to touch.</summary>
    public static IReadOnlyDictionary<string, StepCommitPresence> Check(IReadOnlyList<StepCommit> recorded, IRepositoryGateway git)
    {
        var lastTouch = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var commit in recorded.OrderBy(commit => commit.At))
        {
            foreach (var file in commit.Files)
            {
                lastTouch[file] = commit.Sha;
            }
        }

        var probes = recorded
            .DistinctBy(commit => commit.Sha)
            .Select(commit => new StepCommitProbe(commit.Sha, [.. lastTouch.Where(pair => pair.Value == commit.Sha).Select(pair => pair.Key)]))
            .ToList();
        return git.Presence(probes).ToDictionary(found => found.Sha, StringComparer.Ordinal);
    }

    private static string? Problem(StepProgress step, IReadOnlyDictionary<string, StepCommitPresence> presence)
    {
        var number = step.Number.ToString(CultureInfo.InvariantCulture);
        var gone = step.Commits.Where(commit => presence.TryGetValue(commit.Sha, out var found) && !found.OnBranch).Select(commit => Short(commit.Sha)).ToList();
        if (gone.Count > 0)
        {
            return $"Step {number} is not done: its commit {string.Join(", ", gone)} is no longer on the branch HEAD is on (reset away, or another branch is checked out). "
                + $"Switch back to the plan's branch, or redo the step with commit_step {number}.";
        }

        var undone = step.Commits
            .SelectMany(commit => presence.TryGetValue(commit.Sha, out var found) ? found.RevertedPaths.Select(path => $"{path} ({Short(commit.Sha)})") : [])
            .ToList();
        return undone.Count == 0
            ? null
            : $"Step {number} is not done: a later commit put {string.Join(", ", undone)} back to the content before the step (for example a git commit made from an index that never saw the step). "
                + $"Restore the step's files and commit them again with commit_step {number}.";
    }

    private static string Short(string sha) => CommitId.Short(sha);
}
