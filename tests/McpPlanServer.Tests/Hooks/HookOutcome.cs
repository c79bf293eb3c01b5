namespace McpPlanServer.Tests.Hooks;

public enum HookOutcome
{
    /// <summary>No output, exit 0: the normal permission flow continues.</summary>
    Allow,

    /// <summary>permissionDecision deny on stdout, exit 0.</summary>
    Deny,

    /// <summary>Exit 2 with the reason on stderr (fail closed).</summary>
    Block,
}
