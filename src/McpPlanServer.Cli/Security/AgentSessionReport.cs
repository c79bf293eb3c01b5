using McpPlanServer.Core.Records;

namespace McpPlanServer.Cli.Security;

/// <summary>What the owner's CLI saw of its own session: agent signals (each a sentence), the parent chain, the terminal.</summary>
public sealed record AgentSessionReport(IReadOnlyList<string> Signals, IReadOnlyList<string> MarkersSeen, IReadOnlyList<string> ProcessChain, bool Terminal, bool AncestryChecked)
{
    public bool IsAgentSession => Signals.Count > 0;

    public ApprovalEvidence ToEvidence() => new(Terminal, ProcessChain, MarkersSeen);
}
