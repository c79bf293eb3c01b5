using System.Text;
using LibGit2Sharp;

namespace McpPlanServer.Git;

/// <summary>A one-line-per-commit log with the plan trailers, like <c>git log --format='%h %s | …'</c>.</summary>
public static class GitLog
{
    public static string Format(string repositoryRoot, int limit = 20)
    {
        using var repository = new Repository(repositoryRoot);
        var text = new StringBuilder();
        var filter = new CommitFilter { SortBy = CommitSortStrategies.Topological | CommitSortStrategies.Time };
        foreach (var commit in repository.Commits.QueryBy(filter).Take(limit))
        {
            var trailers = TrailerParser.Parse(commit.Message);
            var plan = trailers.TryGetValue("Plan-Id", out var ids) ? ids[^1] : string.Empty;
            var step = trailers.TryGetValue("Plan-Step", out var steps) ? steps[^1] : string.Empty;
            text.Append(commit.Sha[..7]).Append(' ').Append(commit.MessageShort).Append(" | ").Append(plan).Append(' ').Append(step).Append('\n');
        }

        return text.ToString();
    }
}
