using System.IO.Enumeration;

namespace McpPlanServer.Storage;

/// <summary>
/// The change monitor's picture of the watched folders: each file's last-write time, per folder, with the time of the
/// folder itself when it was last listed. It is kept up to date two ways: files named by the file-system watcher are
/// looked at one by one (a <c>stat</c> each, whatever the folder holds), and a folder whose own last-write time moved
/// without the watcher accounting for it is listed again in full. Either way the answer is the files whose line changed.
/// </summary>
internal sealed class PlanFolderListing(string plansRootPath, IReadOnlyList<string> folders)
{
    /// <summary>A folder listed while its time was younger than this is listed again at the next poll: a change made later
    /// within the same tick of a coarse file-system clock would leave the folder's time as it was.</summary>
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, Folder> listed = new(StringComparer.Ordinal);

    /// <summary>How many folders were listed in full, for tests: a change applied from the watcher's paths lists none.</summary>
    public int FullListings { get; private set; }

    /// <summary>Lists every folder; the first call's differences are the initial files.</summary>
    public HashSet<string> ListAll()
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            List(folder, changed);
        }

        return changed;
    }

    /// <summary>
    /// The poll: lists again each folder whose time is not the one it was listed (or last accounted) at. With
    /// <paramref name="patient"/> (a watcher is running), a folder is listed only when the same unaccounted time is seen at
    /// two polls in a row: the watcher's event for a change may still be on its way, and listing 10,000 files would hold up
    /// the change it is about to name. A change the watcher missed is still listed, one poll later.
    /// </summary>
    public HashSet<string> Poll(bool patient = false)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var known = listed.GetValueOrDefault(folder);
            var time = FolderTime(folder);
            if (known is not null && known.Settled && known.Time == time)
            {
                continue;
            }

            if (patient && known is not null && known.Unaccounted != time)
            {
                listed[folder] = known with { Unaccounted = time };
                continue;
            }

            List(folder, changed);
        }

        return changed;
    }

    /// <summary>
    /// The watcher's paths (full paths, as its events give them): each named file of a watched folder is looked at alone;
    /// a path naming a watched folder itself (created, removed, renamed) lists that folder again. Paths elsewhere change
    /// nothing. <paramref name="timesBefore"/> are the folders' times read before the paths were taken from the watcher:
    /// for a folder the paths name, every change up to then has its event among them or still coming, so that time becomes
    /// the folder's accounted time and the poll does not list it again. A folder the paths do not name keeps its old time,
    /// so a change whose event never comes is still listed by the poll.
    /// </summary>
    public HashSet<string> Apply(IEnumerable<string> paths, IReadOnlyDictionary<string, long> timesBefore)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var relist = new HashSet<string>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var relative = Path.GetRelativePath(plansRootPath, path).Replace('\\', '/');
            var parts = relative.Split('/');
            if (!folders.Contains(parts[0]) || parts.Length > 2)
            {
                continue;
            }

            named.Add(parts[0]);

            if (parts.Length == 1)
            {
                relist.Add(parts[0]);
                continue;
            }

            if (listed.GetValueOrDefault(parts[0]) is not { } known)
            {
                relist.Add(parts[0]);
                continue;
            }

            Look(parts[0], known, parts[1], changed);
        }

        foreach (var folder in relist)
        {
            List(folder, changed);
        }

        foreach (var (folder, time) in timesBefore)
        {
            if (named.Contains(folder) && !relist.Contains(folder) && listed.GetValueOrDefault(folder) is { } known)
            {
                listed[folder] = known with { Time = time, Settled = true, Unaccounted = null };
            }
        }

        return changed;
    }

    /// <summary>Every file held, as <c>folder/name@ticks</c> lines in order: what tests compare with a fresh listing.</summary>
    public string Describe() => string.Join(
        '\n',
        listed.SelectMany(folder => folder.Value.Files.Select(file => $"{folder.Key}/{file.Key}@{file.Value}")).Order(StringComparer.Ordinal));

    /// <summary>Every folder's own last-write time (0: not there).</summary>
    public Dictionary<string, long> FolderTimes() => folders.ToDictionary(folder => folder, FolderTime, StringComparer.Ordinal);

    private long FolderTime(string folder)
    {
        var path = Path.Combine(plansRootPath, folder);
        return Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path).Ticks : 0;
    }

    private void Look(string folder, Folder known, string name, HashSet<string> changed)
    {
        if (Ignored(name))
        {
            return;
        }

        var info = new FileInfo(Path.Combine(plansRootPath, folder, name));
        long? now = info.Exists ? info.LastWriteTimeUtc.Ticks : null;
        long? before = known.Files.TryGetValue(name, out var time) ? time : null;
        if (now == before)
        {
            return;
        }

        if (now is { } written)
        {
            known.Files[name] = written;
        }
        else
        {
            known.Files.Remove(name);
        }

        changed.Add(folder + "/" + name);
    }

    private void List(string folder, HashSet<string> changed)
    {
        FullListings++;
        var time = FolderTime(folder);
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        var path = Path.Combine(plansRootPath, folder);
        if (time != 0)
        {
            try
            {
                var entries = new FileSystemEnumerable<(string Name, long Time)>(
                    path,
                    (ref FileSystemEntry entry) => (entry.FileName.ToString(), entry.LastWriteTimeUtc.UtcTicks),
                    new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true })
                {
                    ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
                };
                foreach (var (name, written) in entries)
                {
                    if (!Ignored(name))
                    {
                        files[name] = written;
                    }
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // A folder deleted or renamed mid-listing: listed again at the next poll, which sees the settled state.
                time = -1;
            }
        }

        var before = listed.GetValueOrDefault(folder)?.Files ?? [];
        foreach (var (name, written) in files)
        {
            if (!before.TryGetValue(name, out var was) || was != written)
            {
                changed.Add(folder + "/" + name);
            }
        }

        foreach (var name in before.Keys)
        {
            if (!files.ContainsKey(name))
            {
                changed.Add(folder + "/" + name);
            }
        }

        var settled = time == 0 || (time > 0 && DateTime.UtcNow - new DateTime(time, DateTimeKind.Utc) >= Settled);
        listed[folder] = new Folder(time, settled, files);
    }

    private static bool Ignored(string name) => name.EndsWith(".tmp", StringComparison.Ordinal);

    /// <param name="Unaccounted">A time the patient poll saw that neither a listing nor the watcher accounted for yet.</param>
    private sealed record Folder(long Time, bool Settled, Dictionary<string, long> Files, long? Unaccounted = null);
}
