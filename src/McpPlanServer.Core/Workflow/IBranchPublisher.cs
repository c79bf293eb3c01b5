namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Code stays in git across machines (issue 19): the port through which a step's commit reaches the repository's
/// remote. A step counts as done only once its commit is there.
/// </summary>
public interface IBranchPublisher
{
    /// <summary>The remote's name, for messages.</summary>
    string RemoteName { get; }

    /// <summary>
    /// Pushes the current branch, which holds <paramref name="sha"/>, to the remote. Refuses with <c>push_rejected</c>
    /// (saying what to do next) when the remote does not take it.
    /// </summary>
    void Publish(string planId, int step, string sha);

    /// <summary>
    /// Fetches the remote's branches so that what is read next is the remote's latest. A fetch that fails refuses nothing
    /// (the local copies are read instead) but is never silent: the result is a warning naming the remote and git's
    /// error, for the caller to show; null when the fetch worked.
    /// </summary>
    string? Fetch();

    /// <summary>Whether <paramref name="sha"/> is reachable from one of the remote's branches as last fetched or pushed.</summary>
    bool IsOnRemote(string sha);
}
