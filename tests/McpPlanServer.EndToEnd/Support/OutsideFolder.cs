using System.Security.Cryptography;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>A folder outside every test repository, the target of hostile links; removed when the test ends.</summary>
public sealed class OutsideFolder : IDisposable
{
    public OutsideFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "mcpplan-outside-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every file below the root with a hash of its content: equal snapshots mean nothing outside was touched.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() =>
        new SortedDictionary<string, string>(
            Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .ToDictionary(file => Path.GetRelativePath(Root, file), file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))),
            StringComparer.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
