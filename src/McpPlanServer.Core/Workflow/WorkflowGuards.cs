using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>Checks several commands make before their first write; each refuses with a code and the fix.</summary>
internal static class WorkflowGuards
{
    /// <summary>Refuses unless the person approved exactly the current text.</summary>
    public static void RequireApproved(LoadedPlan plan)
    {
        if (plan.Record.Approval is null)
        {
            throw new PlanRefusedException(
                RefusalCodes.NotApproved,
                $"Plan '{plan.Id}' has no approval (it was placed in Active/ by hand or its approval was lost). The owner approves it with: mcpplan approve {plan.Id}");
        }

        if (!plan.ApprovalValid)
        {
            throw new PlanRefusedException(
                RefusalCodes.ApprovalVoid,
                $"The text of plan '{plan.Id}' changed after it was approved, so the approval no longer holds. The owner must re-approve the current text: mcpplan approve {plan.Id}");
        }
    }

    /// <summary>Refuses a decision that depends on a record or journal line mcpplan did not write, naming what changed.</summary>
    public static void RequireIntact(IPlanStore store, PlanId id)
    {
        var findings = store.CheckIntegrity(id);
        if (findings.Count > 0)
        {
            throw new PlanRefusedException(
                RefusalCodes.Tampered,
                $"Plan '{id}' depends on files mcpplan did not write: {string.Join("; ", findings.Select(finding => finding.What))}. Nothing was done. " +
                $"The person looks at what changed (mcpplan show {id}, mcpplan log {id}, git diff), restores the files from git where that is the fix, " +
                $"or accepts the current files with: mcpplan repair {id} (a changed record loses its approval, which the person then gives again with --sha).");
        }
    }

    /// <summary>The files of <paramref name="plan"/> (planned, or changed by its step commits) that differ from HEAD, as
    /// "path (state)": the review, the verification and the archive see only what is committed.</summary>
    public static List<string> UncommittedPlanFiles(LoadedPlan plan, IRepositoryGateway git, string plansRoot)
    {
        var stepFiles = plan.Record.Steps.SelectMany(step => step.Commits).SelectMany(commit => commit.Files).ToHashSet(StringComparer.Ordinal);
        return git.UncommittedChanges(plansRoot)
            .Where(change => stepFiles.Contains(change.Path) || Drift.DriftAnalyzer.IsPlanned(change.Path, plan.Document.PlannedFiles))
            .Select(change => $"{change.Path} ({change.State})")
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static IRepositoryGateway RequireRepository(IRepositoryGateway? repository) =>
        repository ?? throw new PlanRefusedException(RefusalCodes.NotARepository, "This server runs without a git repository. Start it in (or with --repo pointing at) a git repository.");

    public static void RequireText(string? value, string name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"The {name} is empty. Write a short {name} in plain text.");
        }

        if (value.Length > maxLength)
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"The {name} is {value.Length} characters; the limit is {maxLength}. Shorten it.");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"The {name} contains a NUL character. Send plain text.");
        }
    }

    public static string OpenBlockerList(PlanRecord record)
    {
        var open = record.OpenBlockers.Select(blocker => blocker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return open.Count == 0 ? "none" : string.Join(", ", open);
    }
}
