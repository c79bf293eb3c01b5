using LibGit2Sharp;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>The workflow's view of the repository, over LibGit2Sharp. Opens the repository per call: the other role's
/// process commits too, so nothing about HEAD may be cached.</summary>
public sealed class GitRepositoryGateway(string repositoryRoot) : IRepositoryGateway
{
    public string? HeadSha
    {
        get
        {
            if (!Repository.IsValid(repositoryRoot))
            {
                return null;
            }

            using var repository = new Repository(repositoryRoot);
            return repository.Head.Tip?.Sha;
        }
    }
}
