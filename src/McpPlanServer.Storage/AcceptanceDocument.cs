namespace McpPlanServer.Storage;

/// <summary>The <c>acceptance</c> object of the config file (issue 20).</summary>
internal sealed class AcceptanceDocument
{
    public int? TimeoutSeconds { get; set; }

    public bool? RefuseHandInOnFailure { get; set; }
}
