namespace McpPlanServer.Mcp.Tools;

/// <summary>Output schema fragments shared by several tools. Kept terse: every byte is paid for in each request's context.</summary>
public static class Schemas
{
    public const string PlanState = """{"type":"object","properties":{"id":{"type":"string"},"state":{"type":"string"},"status":{"type":"string"}},"required":["id","state","status"]}""";
}
