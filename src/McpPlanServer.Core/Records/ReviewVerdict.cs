namespace McpPlanServer.Core.Records;

public enum ReviewVerdict
{
    Verified,
    ChangesRequested,
    NeedsHuman,
}
