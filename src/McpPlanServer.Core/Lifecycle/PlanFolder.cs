namespace McpPlanServer.Core.Lifecycle;

/// <summary>The folder a plan's markdown lives in. The folder is the truth: a person's <c>mv</c> between folders is honoured.</summary>
public enum PlanFolder
{
    Review,
    Active,
    Completed,
}
