using McpPlanServer.Core.Evidence;

namespace McpPlanServer.Git;

/// <summary>Line counts of one changed file (binary files count no lines).</summary>
internal static class ChangeStatistics
{
    public static FileChange Describe(TreeDifference difference)
    {
        var (oldText, oldBinary) = difference.Old is { } oldBlob ? BlobText.Read(oldBlob) : (string.Empty, false);
        var (newText, newBinary) = difference.New is { } newBlob ? BlobText.Read(newBlob) : (string.Empty, false);
        if (oldBinary || newBinary)
        {
            return new FileChange(difference.Path, difference.Kind, 0, 0, true);
        }

        var (added, deleted) = LineDiff.Count(LineDiff.Lines(oldText), LineDiff.Lines(newText));
        return new FileChange(difference.Path, difference.Kind, added, deleted, false);
    }
}
