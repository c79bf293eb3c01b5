namespace McpPlanServer.Storage;

/// <summary>The <c>verify</c> object of the config file.</summary>
internal sealed class VerifyDocument
{
    public string? Command { get; set; }

    public int? TimeoutSeconds { get; set; }

    public bool? RefuseHandInOnFailure { get; set; }
}
