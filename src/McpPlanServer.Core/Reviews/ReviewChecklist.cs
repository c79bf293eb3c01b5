using System.Globalization;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Reviews;

/// <summary>
/// The plan's success criteria (C1…) and security-checklist items (S1…) as lines a review must answer one by one:
/// met or not met, each with its evidence. A review that leaves one out is refused with the list of what is missing.
/// </summary>
public static class ReviewChecklist
{
    public static IReadOnlyList<ChecklistItem> Items(PlanDocument document) =>
    [
        .. document.SuccessCriteria.Select((criterion, index) => new ChecklistItem("C" + (index + 1).ToString(CultureInfo.InvariantCulture), criterion.Text, criterion.Line)),
        .. document.SecurityChecklist.Select((item, index) => new ChecklistItem("S" + (index + 1).ToString(CultureInfo.InvariantCulture), item.Text, item.Line)),
    ];

    /// <summary>Checks that every item is answered exactly once with evidence, and returns the answers in the plan's order.</summary>
    public static IReadOnlyList<ChecklistAnswer> Answer(IReadOnlyList<ChecklistItem> items, IReadOnlyList<ChecklistAnswer> answers)
    {
        ReviewProblem.ThrowIfAny(Problems(items, answers));
        var byId = answers.ToDictionary(answer => answer.Item.ToUpperInvariant(), StringComparer.Ordinal);
        return [.. items.Select(item => byId[item.Id] with { Item = item.Id, Text = item.Text, Evidence = byId[item.Id].Evidence.Trim() })];
    }

    /// <summary>Every problem with the answers at once: unknown items, items answered twice, unanswered ones, bare ones.</summary>
    public static List<ReviewProblem> Problems(IReadOnlyList<ChecklistItem> items, IReadOnlyList<ChecklistAnswer> answers)
    {
        var problems = new List<ReviewProblem>();
        var known = items.ToDictionary(item => item.Id, StringComparer.OrdinalIgnoreCase);
        var unknown = answers.Where(answer => !known.ContainsKey(answer.Item)).Select(answer => answer.Item).ToList();
        if (unknown.Count > 0)
        {
            problems.Add(new(RefusalCodes.UnknownChecklistItem, $"The plan has no item {string.Join(", ", unknown)}. Its items are {Listing(items)}."));
        }

        var groups = answers.GroupBy(answer => answer.Item.ToUpperInvariant()).ToList();
        var twice = groups.Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (twice.Count > 0)
        {
            problems.Add(new(RefusalCodes.InvalidArgument, $"{string.Join(", ", twice)} answered more than once. Answer each item once."));
        }

        var byId = groups.ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var missing = items.Where(item => !byId.ContainsKey(item.Id)).ToList();
        if (missing.Count > 0)
        {
            problems.Add(new(
                RefusalCodes.UnansweredCriteria,
                $"Answer every success criterion and security-checklist item in criteria: [{{item, met, evidence}}]. Unanswered: {Listing(missing)}. "
                + "Evidence is a test name (an acceptance test: \"acceptance: tests/x_test.py passed\"), a command and its output, a commit, or a file and line."));
        }

        var bare = items.Where(item => byId.TryGetValue(item.Id, out var answer) && string.IsNullOrWhiteSpace(answer.Evidence)).Select(item => item.Id).ToList();
        if (bare.Count > 0)
        {
            problems.Add(new(
                RefusalCodes.EvidenceRequired,
                $"{string.Join(", ", bare)} {(bare.Count == 1 ? "has" : "have")} no evidence. Give a test name, a command and its output, a commit, or a file and line for each answer, met or not."));
        }

        return problems;
    }

    private static string Listing(IEnumerable<ChecklistItem> items) =>
        string.Join("; ", items.Select(item => $"{item.Id} \"{(item.Text.Length > 80 ? item.Text[..80] + "…" : item.Text)}\""));
}
