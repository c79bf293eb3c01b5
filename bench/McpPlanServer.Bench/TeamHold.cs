namespace McpPlanServer.Bench;

/// <summary>One session's hold of a plan in the team bench, as the client saw it: from the grant's answer to the release's request.</summary>
public sealed record TeamHold(string Plan, int Session, long Fence, TimeSpan From, TimeSpan Until);
