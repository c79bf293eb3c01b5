using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// The acceptance tests in <c>mcpplan show</c> (issue 20): the command, each file with its hash and its full content
/// (the person approves what they read), whether the approval pinned them, and the last run by the server.
/// </summary>
public static class AcceptanceReport
{
    public static void Render(LoadedPlan plan, AcceptanceSet? stored, Action<string> line)
    {
        if (plan.Document.AcceptanceTests is not { } section)
        {
            return;
        }

        var pinned = plan.Record.Approval?.PinnedFiles ?? [];
        line(string.Empty);
        line($"Acceptance tests: `{section.Command ?? "(no command: the plan cannot be approved)"}`{(plan.Record.Approval?.AcceptanceCommit is { } commit && pinned.Count > 0 ? $", pinned in commit {CommitIdShort(commit)}" : string.Empty)}");
        foreach (var path in section.Files)
        {
            if (stored?.Find(path.Path) is not { } file)
            {
                line($"  {path.Path}   NOT WRITTEN (the planner writes it with write_acceptance_file; approval is refused until then)");
                continue;
            }

            line($"  {file.Path}   sha256 {file.Sha256[..16]}, {System.Text.Encoding.UTF8.GetByteCount(file.Content)} bytes{(pinned.Contains(file.Path, StringComparer.Ordinal) ? ", pinned" : string.Empty)}");
            foreach (var content in file.Content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
            {
                line($"    | {Printable(content)}");
            }
        }

        if (plan.Record.LastAcceptance is { } run)
        {
            line($"  last run  {run.Summary} on {CommitIdShort(run.Commit)} (exit {run.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {run.DurationMs} ms{(run.Counts is { } counts ? $", counts from {counts.Source}" : string.Empty)})");
        }
    }

    /// <summary>The planner wrote the content: control characters (terminal escapes) are shown, never sent to the terminal.</summary>
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) && c != '\t' ? '\uFFFD' : c));

    private static string CommitIdShort(string? sha) => sha is null ? "(none)" : Core.Evidence.CommitId.Short(sha);
}
