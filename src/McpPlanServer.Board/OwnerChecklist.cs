namespace McpPlanServer.Board;

/// <summary>The second seed's checklist for the person reviewing a plan before approving it.</summary>
internal static class OwnerChecklist
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
