namespace McpPlanServer.Core.Plans;

public enum PlannedFileKind
{
    Create,
    Modify,
}
