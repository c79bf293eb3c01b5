using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>The store contract on files: each instance opens its own handles, as a second process would.</summary>
public sealed class FilePlanStoreContractTests : PlanStoreContract
{
    private readonly TempFolder folder = new();

    protected override IPlanStore Open(PlanServerConfig config) => new FilePlanStore(folder.Root, config);

    protected override void SpoilRecord(PlanId id) =>
        File.WriteAllText(Path.Combine(folder.Root, PlanServerConfig.DefaultPlansRoot, ".records", id.Value + ".json"), "{ not a record");

    public override void Dispose() => folder.Dispose();
}
