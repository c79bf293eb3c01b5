namespace McpPlanServer.Cli.Init;

public enum InitChangeKind
{
    Create,
    Update,
    Unchanged,
}
