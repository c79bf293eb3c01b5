namespace McpPlanServer.Storage;

/// <summary>The paths the file-system watcher named since they were last taken, and whether it lost any (an overflow).</summary>
internal sealed class WatcherEvents
{
    private readonly Lock gate = new();
    private HashSet<string> paths = new(StringComparer.Ordinal);
    private bool overflowed;

    public void Add(string path)
    {
        lock (gate)
        {
            paths.Add(path);
        }
    }

    public void Overflowed()
    {
        lock (gate)
        {
            overflowed = true;
        }
    }

    /// <summary>Takes the paths named so far; <paramref name="lost"/> says events were lost since the last take.</summary>
    public HashSet<string> Take(out bool lost)
    {
        lock (gate)
        {
            var taken = paths;
            paths = new HashSet<string>(StringComparer.Ordinal);
            lost = overflowed;
            overflowed = false;
            return taken;
        }
    }
}
