namespace McpPlanServer.Core.Lifecycle;

/// <summary>The wire names of actors (<c>planner</c>, <c>implementer</c>, …) used on the command line, in records and in the journal.</summary>
public static class ActorNames
{
    public static string ToName(this Actor actor) => actor switch
    {
        Actor.Observer => "observer",
        Actor.Planner => "planner",
        Actor.Implementer => "implementer",
        Actor.Owner => "owner",
        _ => throw new ArgumentOutOfRangeException(nameof(actor)),
    };

    /// <summary>The roles a server can be started with (the owner acts only through the CLI).</summary>
    public static IReadOnlyList<string> AgentRoleNames { get; } = ["planner", "implementer", "observer"];

    public static bool TryParseAgentRole(string? value, out Actor actor)
    {
        actor = value switch
        {
            "planner" => Actor.Planner,
            "implementer" => Actor.Implementer,
            "observer" => Actor.Observer,
            _ => (Actor)(-1),
        };
        return (int)actor >= 0;
    }
}
