namespace McpPlanServer.Mcp.Tools;

/// <summary>Schema fragments shared by several tools. Kept terse: every byte is paid for in each request's context.</summary>
public static class Schemas
{
    // issue 20: the example id was cut to keep the planner's tools/list under its budget with write_acceptance_file.
    public const string PlanId = """{"type":"string"}""";

    public const string PlanState = """{"type":"object","properties":{"id":{"type":"string"},"state":{"type":"string"},"status":{"type":"string"}},"required":["id","state","status"]}""";

    public const string PlanIdOnly = $$$"""{"type":"object","properties":{"plan_id":{{{PlanId}}}},"required":["plan_id"]}""";
}
