namespace McpPlanServer.Core.Diagnostics;

/// <summary>
/// Named points in a multi-step write where a crash would leave the most to recover (after the git commit, before the
/// record). Production code reports reaching them; only a test composition does anything there (stop the process,
/// or throw to observe the state at that point). Injected, so tests that use it run side by side.
/// </summary>
public interface IFaultPoints
{
    /// <summary>True when some point may fire, so a write can take its slower, observable path (write half, then report).</summary>
    bool Armed { get; }

    void Reached(string point);
}
