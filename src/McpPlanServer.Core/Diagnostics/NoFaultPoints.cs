namespace McpPlanServer.Core.Diagnostics;

/// <summary>The production fault points: none fires.</summary>
public sealed class NoFaultPoints : IFaultPoints
{
    public static readonly NoFaultPoints Instance = new();

    private NoFaultPoints()
    {
    }

    public bool Armed => false;

    public void Reached(string point)
    {
    }
}
