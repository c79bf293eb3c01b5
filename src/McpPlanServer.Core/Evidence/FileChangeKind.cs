namespace McpPlanServer.Core.Evidence;

public enum FileChangeKind
{
    Added,
    Modified,
    Deleted,
}
