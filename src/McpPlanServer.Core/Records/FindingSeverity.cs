namespace McpPlanServer.Core.Records;

public enum FindingSeverity
{
    Minor,
    Major,
    Critical,
}
