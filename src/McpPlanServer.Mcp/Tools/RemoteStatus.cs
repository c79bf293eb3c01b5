using System.Text.Json.Nodes;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// Issue 19 item 2: with a push remote configured, a plan view names the remote and every recorded step commit that is
/// not (yet, as last pushed or fetched) on it, so no one mistakes a local commit for shared work.
/// </summary>
internal static class RemoteStatus
{
    public static JsonObject With(JsonObject view, PlanWorkflow workflow, LoadedPlan plan)
    {
        if (workflow.Publisher is not { } publisher)
        {
            return view;
        }

        var missing = BranchPublishing.CommitsNotOnRemote(publisher, plan);
        view["remote"] = publisher.RemoteName;
        view["commits_not_on_remote"] = new JsonArray([.. missing.Select(sha => (JsonNode)sha)]);
        return view;
    }
}
