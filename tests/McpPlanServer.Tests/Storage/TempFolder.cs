namespace McpPlanServer.Tests.Storage;

/// <summary>A fresh folder under the system temp folder, removed when the test ends.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "mcpplan-storage-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Every file below the root whose name is a temp file of <c>AtomicFile</c>.</summary>
    public IReadOnlyList<string> TempFiles() =>
        Directory.EnumerateFiles(Root, "*.tmp", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(Root, file)).ToList();

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
