namespace McpPlanServer.Core.Lifecycle;

/// <summary>Who is acting. Agent roles are fixed when a server starts; <see cref="Owner"/> is the person using the CLI.</summary>
public enum Actor
{
    Observer,
    Planner,
    Implementer,
    Owner,
}
