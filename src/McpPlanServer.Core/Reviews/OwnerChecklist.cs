namespace McpPlanServer.Core.Reviews;

/// <summary>The second seed's checklist for the person reviewing a plan before approving it (the CLI and the board show it).</summary>
public static class OwnerChecklist
{
    public static IReadOnlyList<string> Items { get; } =
    [
        "All requirements covered?",
        "Approach makes sense for this codebase?",
        "Security considerations addressed?",
        "Estimated effort realistic?",
        "Success criteria clear and testable?",
        "Files to create/modify are correct paths?",
    ];
}
