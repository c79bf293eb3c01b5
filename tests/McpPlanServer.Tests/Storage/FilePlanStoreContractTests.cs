using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>The store contract on files: each instance opens its own handles, as a second process would.</summary>
public sealed class FilePlanStoreContractTests : PlanStoreContract
{
    private readonly TempFolder folder = new();

    protected override IPlanStore Open() => new FilePlanStore(folder.Root, new PlanServerConfig());

    public override void Dispose() => folder.Dispose();
}
