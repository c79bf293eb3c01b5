namespace McpPlanServer.Core.Evidence;

/// <summary>A page of a commit's unified diff: the text, whether more follows, and the offset to ask for it.</summary>
public sealed record DiffPage(string Sha, string Text, int Offset, int TotalLength, int? NextOffset)
{
    public bool Truncated => NextOffset is not null;
}
