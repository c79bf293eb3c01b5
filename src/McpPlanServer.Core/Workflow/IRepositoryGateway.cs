namespace McpPlanServer.Core.Workflow;

/// <summary>The repository as the workflow needs it: implemented over git by an adapter.</summary>
public interface IRepositoryGateway
{
    /// <summary>The commit HEAD points at; null for an unborn branch.</summary>
    string? HeadSha { get; }
}
