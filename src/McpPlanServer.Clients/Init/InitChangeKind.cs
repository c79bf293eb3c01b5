namespace McpPlanServer.Clients.Init;

public enum InitChangeKind
{
    Create,
    Update,
    Unchanged,
}
