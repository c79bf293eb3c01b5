using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Paths;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Edits a hook would have denied, found from git after the fact: commits made outside commit_step (which never
/// commits these places) and uncommitted changes to tracked files that touch the plans folder or any client's settings
/// (<see cref="ProtectedPaths"/>). The after-the-fact layer for clients without hooks: it sees what reached git, not a
/// new file nobody has added yet.
/// </summary>
public static class GuardedEdits
{
    public const string PlansFolder = "the plans folder";
    public const string ClientSettings = "client settings";

    public static IReadOnlyList<GuardedEdit> Find(IReadOnlyList<CommitFacts> commitsOutsideCommitStep, IReadOnlyList<WorkingChange> uncommitted, string plansRoot)
    {
        var found = new List<GuardedEdit>();
        foreach (var commit in commitsOutsideCommitStep)
        {
            found.AddRange(commit.Files.Select(file => Place(file.Path, plansRoot) is { } place ? new GuardedEdit(file.Path, commit.Sha, place) : null).OfType<GuardedEdit>());
        }

        // Untracked files are left out: init's own files stay untracked until the person commits them, and every one would show.
        found.AddRange(uncommitted.Where(change => change.State != "untracked").Select(change => Place(change.Path, plansRoot) is { } place ? new GuardedEdit(change.Path, null, place) : null).OfType<GuardedEdit>());
        return [.. found.Distinct()];
    }

    /// <summary>An edit a client's hook saw after it happened, as a guarded edit of its place.</summary>
    public static GuardedEdit Observed(ObservedEdit edit, string plansRoot) =>
        new(edit.Path, null, Place(edit.Path, plansRoot) ?? $"a file the {edit.Role} may not change") { Observed = edit };

    /// <summary>The guarded place <paramref name="path"/> is in, or null when every role's hook lets the implementer change it.</summary>
    public static string? Place(string path, string plansRoot) =>
        RepoRelativePath.IsUnder(path, plansRoot) ? PlansFolder
        : ProtectedPaths.ClientSettings.Any(guarded => RepoRelativePath.IsUnder(path, guarded)) ? ClientSettings
        : null;
}
