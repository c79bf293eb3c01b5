namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>What the invariant checker found: every violation in words, and how many invariants it checked.</summary>
public sealed record InvariantReport(IReadOnlyList<string> Violations, int Checked)
{
    public bool Holds => Violations.Count == 0;

    public override string ToString() => Holds ? $"{Checked} invariants hold" : $"{Violations.Count} violations:\n" + string.Join('\n', Violations);
}
