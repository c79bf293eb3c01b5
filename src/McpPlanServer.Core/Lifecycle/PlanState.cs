namespace McpPlanServer.Core.Lifecycle;

/// <summary>Where a plan stands: its folder and the sub-status inside it.</summary>
public readonly record struct PlanState(PlanFolder Folder, PlanStatus Status)
{
    public override string ToString() => $"{Folder}/{Status.ToWireName()}";
}
