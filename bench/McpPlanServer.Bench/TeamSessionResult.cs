namespace McpPlanServer.Bench;

/// <summary>What one session of the team bench measured and counted.</summary>
public sealed class TeamSessionResult
{
    public List<double> ListPlans { get; } = [];

    public List<double> Claims { get; } = [];

    /// <summary>The claims that were granted, then those refused (client-observed, as in <see cref="Claims"/>).</summary>
    public List<double> ClaimsGranted { get; } = [];

    public List<double> ClaimsRefused { get; } = [];

    /// <summary>Every measured claim with its moments, for telling the slow ones apart (see <see cref="StealSampler"/>).</summary>
    public List<TeamClaim> ClaimCalls { get; } = [];

    public List<double> ReadActive { get; } = [];

    public List<double> CommitSteps { get; } = [];

    public Dictionary<string, int> Refusals { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> CommitRefusals { get; } = new(StringComparer.Ordinal);

    public List<TeamHold> Holds { get; } = [];

    public int Granted { get; set; }

    /// <summary>Tool calls started inside the measured window (every tool, releases too).</summary>
    public int Calls { get; set; }
}
