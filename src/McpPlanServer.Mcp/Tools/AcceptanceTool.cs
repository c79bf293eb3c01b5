using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>The planner's <c>write_acceptance_file</c> (issue 20): one test file named under the plan's Acceptance Tests, in Review.</summary>
public static class AcceptanceTool
{
    private static readonly TextParameter FilePath = new("path", PlanLimits.MaxPathLength) { Required = true };

    private static readonly TextParameter Content = new("content", Core.Acceptance.PlanAcceptance.MaxFileBytes) { Required = true };

    private static readonly IntegerParameter ExpectedRevision = new("expected_revision", 0, int.MaxValue);

    public static PlanTool Create(ToolContext context)
    {
        var workflow = context.Workflow;
        return context.Create(
            new ToolSpec(
                "write_acceptance_file",
                "Acceptance file",
                "Write a file listed under Acceptance Tests (plan in Review).",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                [ToolParameters.PlanId, FilePath, Content, ExpectedRevision],
                """{"type":"object","properties":{"revision":{"type":"integer"}},"required":["revision"]}"""),
            call =>
            {
                var result = workflow.Acceptance.WriteFile(
                    context.Role,
                    call.Arguments.Text(ToolParameters.PlanId),
                    call.Arguments.Text(FilePath),
                    call.Arguments.Text(Content),
                    call.Arguments.OptionalInteger(ExpectedRevision));
                return new JsonObject
                {
                    ["id"] = result.PlanId,
                    ["path"] = result.Path,
                    ["revision"] = result.Revision,
                    ["sha256"] = result.Sha256,
                    ["unchanged"] = result.Unchanged,
                    ["approval_sha256"] = result.ApprovalSha256,
                    ["missing"] = new JsonArray([.. result.Missing.Select(path => (JsonNode?)path)]),
                    ["next_action"] = result.Missing.Count > 0
                        ? $"Write the other listed files: {string.Join(", ", result.Missing)}."
                        : $"Every listed test is written. Ask the owner to approve: request_approval plan_id={result.PlanId}.",
                };
            });
    }
}
