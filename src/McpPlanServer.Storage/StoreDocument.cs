using McpPlanServer.Core.Configuration;

namespace McpPlanServer.Storage;

/// <summary>The <c>store</c> object of the config file.</summary>
internal sealed class StoreDocument
{
    public StoreKind? Kind { get; set; }

    public string? Connection { get; set; }

    public string? Repository { get; set; }
}
