using System.Text.Json;
using System.IO.Enumeration;
using System.Text;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Diagnostics;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// Plans as files in the repository: <c>Review/ Active/ Completed/</c> hold the markdown (the folder is the state),
/// <c>.records/</c> the JSON record of each plan, <c>journal.jsonl</c> the append-only journal, <c>.lock</c> the
/// cross-process lock. Every write is atomic; every path is checked to stay inside the repository. Nothing below the
/// plans root is reached through a link: each folder and file is checked right before the call that uses it, and files
/// are opened with <c>O_NOFOLLOW</c> (see <see cref="NoFollowFile"/>); a linked state folder is ignored and reported.
/// </summary>
public sealed class FilePlanStore : IPlanStore
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);
    private readonly string repositoryRoot;
    private readonly string root;
    private readonly string recordsFolder;
    private readonly string lockPath;
    private readonly JsonlJournal journal;
    private readonly int maxPlanBytes;
    private readonly IFaultPoints faults;

    public FilePlanStore(string repositoryRoot, PlanServerConfig config, IFaultPoints? faults = null)
    {
        this.faults = faults ?? NoFaultPoints.Instance;
        this.repositoryRoot = FileSystemGuard.RealPath(repositoryRoot);
        PlansRoot = config.PlansRoot.Replace('\\', '/').Trim('/');
        root = Path.Combine(this.repositoryRoot, PlansRoot.Replace('/', Path.DirectorySeparatorChar));
        recordsFolder = Path.Combine(root, ".records");
        lockPath = Path.Combine(root, ".lock");
        journal = new JsonlJournal(Path.Combine(root, "journal.jsonl"), this.faults);
        maxPlanBytes = config.MaxPlanBytes;
    }

    public string PlansRoot { get; }

    /// <summary>The plans root on disk.</summary>
    public string RootPath => root;

    public string JournalPath => Path.Combine(root, "journal.jsonl");

    /// <summary>
    /// Start-up housekeeping under the lock: repairs a torn journal tail and removes temp files a killed writer left.
    /// Returns a line for the log, or null when there was nothing to do. A root that does not exist yet is left alone.
    /// </summary>
    public string? Recover()
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        CheckRoot();
        IDisposable held;
        try
        {
            held = LockRoot();
        }
        catch (PlanRefusedException refusal) when (refusal.Code is RefusalCodes.ReadOnly or RefusalCodes.PermissionDenied or RefusalCodes.SymlinkRefused)
        {
            // Nothing can be repaired where nothing can be written, and nothing needs to be: a torn tail or a temp file
            // is never read as data. Reading stays possible; every write is refused with this same reason.
            return $"recovery skipped ({refusal.Code}): {refusal.Message}";
        }
        catch (PlanRefusedException refusal) when (refusal.Code == RefusalCodes.Busy)
        {
            // Another process is writing: starting must not fail for that. A torn journal tail is cut by the next append
            // (under the lock) and a leftover temp file is never read as data, so nothing here is needed before serving.
            return $"recovery skipped ({refusal.Code}): another mcpplan process held the plans lock; the next start repairs what is left";
        }

        using (held)
        {
            string? skipped = null;
            var dropped = 0;
            try
            {
                dropped = journal.Repair();
            }
            catch (PlanRefusedException refusal) when (refusal.Code == RefusalCodes.SymlinkRefused)
            {
                // Never repaired through a link (it would truncate whatever the link points at); writes are refused.
                skipped = $"journal not repaired ({refusal.Code}): {refusal.Message}";
            }

            var swept = TempFileSweeper.Sweep(root, recursive: true);
            var line = dropped == 0 && swept == 0 ? null : $"recovered: {dropped} torn journal bytes dropped, {swept} temp files removed";
            return skipped is null ? line : line is null ? skipped : $"{line}; {skipped}";
        }
    }

    /// <summary>
    /// Every change runs under this lock, so a state folder, <c>.records</c> or the journal that is a link refuses every
    /// change here, before anything is written (a change half-written before a later write hits the link would break
    /// "a refused call changes nothing"). Each write checks its own path again at the moment of the call.
    /// </summary>
    public IDisposable AcquireLock()
    {
        var held = LockRoot();
        try
        {
            foreach (var path in Enum.GetValues<PlanFolder>().Select(FolderPath).Append(recordsFolder).Append(JournalPath))
            {
                RequireNoLinks(path);
            }

            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private CrossProcessLock LockRoot()
    {
        EnsureFolder(root);
        return CrossProcessLock.Acquire(lockPath, LockTimeout, CancellationToken.None);
    }

    public IReadOnlyList<PlanLocation> ListPlans()
    {
        var locations = new List<PlanLocation>();
        foreach (var folder in ListableFolders())
        {
            foreach (var (id, written) in PlanFiles(FolderPath(folder), withTimes: true))
            {
                locations.Add(new PlanLocation(id, folder, written));
            }
        }

        return locations;
    }

    /// <summary>
    /// The plans by id and folder, without a file's time. Per state folder: the folder's listing is kept while its
    /// last-write time is the one it was listed at (a file added, removed, renamed or replaced by a link changes it), when
    /// that time was at least <see cref="SettledAfter"/> old when it was listed, so a change in the same tick of a coarse
    /// filesystem clock cannot hide behind it. A folder changed more recently is enumerated again (names only, from the
    /// directory entries: no <c>stat</c> per file), and when it names the same files at the same folder time the kept
    /// listing is returned as it was (the same object, so the callers' order and overlap pass built on it hold). Each call costs one <c>lstat</c> per state folder
    /// when nothing changed.
    /// </summary>
    public IReadOnlyList<ListedPlan> ListPlanNames()
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        CheckRoot();
        var settledBefore = (DateTime.UtcNow - SettledAfter).Ticks;
        var kept = names;
        var folders = Enum.GetValues<PlanFolder>();
        var current = new FolderNames[folders.Length];
        var unchanged = kept is not null;
        for (var i = 0; i < folders.Length; i++)
        {
            var ticks = FolderWriteTicks(FolderPath(folders[i]));
            var previous = kept?.Folders[i];
            if (previous is not null && previous.Ticks == ticks && previous.Settled)
            {
                current[i] = previous;
                continue;
            }

            // A missing folder (-1) or a link (-2, never listed) has no plans and nothing that can change unseen.
            var enumerated = ticks >= 0 ? PlanFileNames(FolderPath(folders[i])) : [];
            var settled = ticks < 0 || ticks < settledBefore;
            if (previous is not null && previous.Names.AsSpan().SequenceEqual(enumerated))
            {
                // The same files. A folder whose time moved (a file renamed over another, as editors save) still gives a new
                // listing object: callers take the same object to mean that no file was added, removed or renamed.
                unchanged &= previous.Ticks == ticks;
                current[i] = previous with { Ticks = ticks, Settled = settled };
                continue;
            }

            unchanged = false;
            current[i] = new FolderNames(ticks, settled, enumerated, [.. enumerated.Select(name => new ListedPlan(PlanId.Parse(name), folders[i], null))]);
        }

        var plans = unchanged ? kept!.Plans : current.SelectMany(folder => folder.Plans).ToList();
        names = new FolderListing(current, plans);
        return plans;
    }

    /// <summary>How old a folder's last-write time must be before a listing of it is kept without looking (coarse filesystem clocks tick in up to a second or two).</summary>
    private static readonly TimeSpan SettledAfter = TimeSpan.FromSeconds(2);

    /// <summary>The folder listing of <see cref="ListPlanNames"/> (per process), per state folder with the time it was listed at.</summary>
    private volatile FolderListing? names;

    private sealed record FolderListing(FolderNames[] Folders, IReadOnlyList<ListedPlan> Plans);

    /// <param name="Ticks">The folder's last-write time when it was listed (-1 missing, -2 a link).</param>
    /// <param name="Settled">That time was at least <see cref="SettledAfter"/> old: while it holds, the folder is not enumerated again.</param>
    /// <param name="Names">The plan file names as enumerated (without <c>.md</c>), to compare a new enumeration with.</param>
    private sealed record FolderNames(long Ticks, bool Settled, string[] Names, ListedPlan[] Plans);

    /// <summary>The state folders that can be listed: present and not links (a linked state folder may lead anywhere: LinkProblems reports it).</summary>
    private List<PlanFolder> ListableFolders()
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        CheckRoot();
        return Enum.GetValues<PlanFolder>().Where(folder => FolderWriteTicks(FolderPath(folder)) >= 0).ToList();
    }

    /// <summary>The folder's last-write time from one <c>lstat</c>; -1 when it is missing, -2 when it is a link (never listed).</summary>
    private static long FolderWriteTicks(string directory)
    {
        var info = new DirectoryInfo(directory);
        return !info.Exists ? -1 : (info.Attributes & FileAttributes.ReparsePoint) != 0 ? -2 : info.LastWriteTimeUtc.Ticks;
    }

    /// <summary>
    /// The plan files of one folder in one directory enumeration: links are skipped by the entry's type (never followed,
    /// no <c>readlink</c> per file), and the time, when asked, comes from one <c>lstat</c> per file. Anything that is not a
    /// valid id (README.md, notes) is not a plan.
    /// </summary>
    private static IEnumerable<(PlanId Id, DateTimeOffset Written)> PlanFiles(string directory, bool withTimes)
    {
        var files = new FileSystemEnumerable<(string Name, DateTimeOffset Written)>(
            directory,
            (ref FileSystemEntry entry) => (entry.FileName[..^3].ToString(), withTimes ? entry.LastWriteTimeUtc : default),
            PlanFileEnumeration)
        {
            ShouldIncludePredicate = IsPlanFileEntry,
        };
        foreach (var (name, written) in files)
        {
            if (PlanId.TryParse(name, out var id, out _))
            {
                yield return (id, written);
            }
        }
    }

    /// <summary>The names (without <c>.md</c>) of the plan files of one folder, in directory order, from the directory entries
    /// alone: the entry's type (<c>d_type</c>) says whether it is a directory or a link, so no file is <c>stat</c>ed (a
    /// filesystem that gives no type costs one <c>lstat</c> for that entry).</summary>
    private static string[] PlanFileNames(string directory)
    {
        var files = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.FileName[..^3].ToString(), PlanFileEnumeration)
        {
            ShouldIncludePredicate = IsPlanFileEntry,
        };
        return [.. files.Where(name => PlanId.TryParse(name, out _, out _))];
    }

    /// <summary>A regular-looking <c>.md</c> entry; links are left out by <see cref="PlanFileEnumeration"/>'s attributes to skip, taken from the entry's type.</summary>
    private static bool IsPlanFileEntry(ref FileSystemEntry entry) => !entry.IsDirectory && entry.FileName.EndsWith(".md", StringComparison.Ordinal);

    private static readonly EnumerationOptions PlanFileEnumeration = new() { AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false, RecurseSubdirectories = false };

    public PlanLocation? Locate(PlanId id)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        CheckRoot();
        var found = new List<PlanLocation>();
        foreach (var folder in Enum.GetValues<PlanFolder>())
        {
            var file = new FileInfo(PlanPath(id, folder));
            if (file.Exists && !IsLink(FolderPath(folder)))
            {
                if (file.LinkTarget is not null)
                {
                    throw new PlanRefusedException(
                        RefusalCodes.SymlinkRefused,
                        $"{PlansRoot}/{folder}/{id}.md is a symbolic link; plans must be regular files. Replace the link with the file itself.");
                }

                found.Add(new PlanLocation(id, folder, file.LastWriteTimeUtc));
            }
        }

        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new PlanRefusedException(
                RefusalCodes.DuplicatePlan,
                $"Plan '{id}' exists in {string.Join(" and ", found.Select(location => location.Folder + "/"))}. Keep the one in the right state and remove the other (a person's decision; the server will not guess)."),
        };
    }

    public string ReadText(PlanLocation location)
    {
        var path = PlanPath(location.Id, location.Folder);
        RequireNoLinks(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            // Reads take no lock: another process may have moved the plan since it was located.
            throw new PlanRefusedException(RefusalCodes.PlanMoved, $"Plan '{location.Id}' left {location.Folder}/ while it was being read (another process moved it). Read it again.");
        }

        if (info.Length > maxPlanBytes)
        {
            throw new PlanRefusedException(
                RefusalCodes.PlanTooLarge,
                $"{PlansRoot}/{location.Folder}/{location.Id}.md is {info.Length} bytes; the limit is {maxPlanBytes} (maxPlanBytes in the config). Shorten the plan.");
        }

        try
        {
            return PlanText.Decode(ReadAllBytes(path), maxPlanBytes);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PlanRefusedException(RefusalCodes.PlanMoved, $"Plan '{location.Id}' left {location.Folder}/ while it was being read (another process moved it). Read it again.");
        }
    }

    public PlanRecord? ReadRecord(PlanId id)
    {
        var path = RecordPath(id);
        RequireNoLinks(path);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return StoredJson.ParseRecord(ReadAllBytes(path));
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                RefusalCodes.RecordCorrupt,
                $"The record {PlansRoot}/.records/{id}.json cannot be read ({error.Message}). Restore it from git or delete it to rebuild it from the plan text (progress and reviews are then lost).");
        }
    }

    public PlanFileStamp? Stamp(PlanLocation location)
    {
        // One lstat per file (FileInfo stats the link itself when it is one; the attributes say so, no readlink): a link is
        // never stamped, so it is always read afresh and refused.
        var text = new FileInfo(PlanPath(location.Id, location.Folder));
        var textKind = text.Attributes;
        if (Missing(textKind) || (textKind & (FileAttributes.ReparsePoint | FileAttributes.Directory)) != 0)
        {
            return null;
        }

        var record = new FileInfo(RecordPath(location.Id));
        var recordKind = record.Attributes;
        if (Missing(recordKind) || (recordKind & FileAttributes.Directory) != 0)
        {
            return (recordKind & FileAttributes.ReparsePoint) != 0 && !Missing(recordKind) ? null : new PlanFileStamp(text.Length, text.LastWriteTimeUtc.Ticks, -1, -1);
        }

        return (recordKind & FileAttributes.ReparsePoint) != 0 ? null : new PlanFileStamp(text.Length, text.LastWriteTimeUtc.Ticks, record.Length, record.LastWriteTimeUtc.Ticks);
    }

    /// <summary>What <see cref="FileSystemInfo.Attributes"/> answers for a path that does not exist.</summary>
    private static bool Missing(FileAttributes attributes) => (int)attributes == -1;

    public DateTimeOffset WriteText(PlanId id, PlanFolder folder, string text)
    {
        var directory = FolderPath(folder);
        EnsureFolder(directory);
        var path = PlanPath(id, folder);
        RequireNoLinks(path);
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text), faults);
        return File.GetLastWriteTimeUtc(path);
    }

    public void Move(PlanId id, PlanFolder from, PlanFolder to)
    {
        var source = PlanPath(id, from);
        var target = PlanPath(id, to);
        EnsureFolder(FolderPath(to));
        RequireNoLinks(source);
        RequireNoLinks(target);
        if (File.Exists(target))
        {
            throw new PlanRefusedException(
                RefusalCodes.DuplicatePlan,
                $"{PlansRoot}/{to}/{id}.md already exists, so '{id}' cannot move there. Remove or rename one of the two copies.");
        }

        faults.Reached("store:before-move");
        AtomicFile.Rename(source, target);
    }

    public void WriteRecord(PlanRecord record, JournalEntry entry)
    {
        var id = PlanId.Parse(record.Id);
        var stored = ReadRecord(id);
        var storedRevision = stored?.Revision ?? 0;
        if (storedRevision != record.Revision - 1)
        {
            throw new PlanRefusedException(
                RefusalCodes.StaleRevision,
                $"The record of '{id}' is at revision {storedRevision}; this write was based on revision {record.Revision - 1}. Read the plan again and retry.");
        }

        EnsureFolder(recordsFolder);
        RequireNoLinks(RecordPath(id));
        var bytes = StoredJson.Record(record);

        // The journal line first: killed before the record is written, the record stays at the revision its own line
        // recorded, and the newer line is a change that did not happen (never a record that no line recorded).
        AppendJournal(entry with { PlanId = id.Value, Revision = record.Revision, RecordSha256 = JsonlJournal.LineSha256(bytes) });
        AtomicFile.Write(RecordPath(id), bytes, faults);
    }

    public IReadOnlyList<TamperFinding> CheckIntegrity(PlanId? id) => JournalIntegrity.Check(
        journal.Scan(),
        id,
        plan => File.Exists(RecordPath(plan)) ? (ReadAllBytes(RecordPath(plan)), ReadRecord(plan)!) : null,
        plan => $"{PlansRoot}/.records/{plan}.json");

    public ClaimBook ReadClaims()
    {
        var path = Path.Combine(root, "claims.json");
        RequireNoLinks(path);
        if (!File.Exists(path))
        {
            return ClaimBook.Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(ReadAllBytes(path), RecordJsonContext.Default.ClaimBook) ?? ClaimBook.Empty;
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                RefusalCodes.ClaimsCorrupt,
                $"{PlansRoot}/claims.json cannot be read ({error.Message}). Delete it: every claim ends, and sessions claim again.");
        }
    }

    public void WriteClaims(ClaimBook book)
    {
        CheckRoot();
        var path = Path.Combine(root, "claims.json");
        RequireNoLinks(path);
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(book, RecordJsonContext.Default.ClaimBook), faults);
    }

    public IReadOnlyList<Core.Evidence.ObservedEdit> ReadObservedEdits()
    {
        var path = Path.Combine(root, ObservedEditFile.FileName);
        RequireNoLinks(path);
        return File.Exists(path) ? ObservedEditFile.Parse(ReadAllBytes(path)) : [];
    }

    public void AppendObservedEdit(Core.Evidence.ObservedEdit edit)
    {
        CheckRoot();
        EnsureFolder(root);
        var path = Path.Combine(root, ObservedEditFile.FileName);
        RequireNoLinks(path);
        AtomicFile.Write(path, ObservedEditFile.Append(File.Exists(path) ? ReadAllBytes(path) : [], edit), faults);
    }

    public void WriteReviewMarkdown(PlanId id, int iteration, string markdown)
    {
        EnsureFolder(recordsFolder);
        var path = Path.Combine(recordsFolder, $"{id}.review-{iteration}.md");
        RequireNoLinks(path);
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(markdown), faults);
    }

    public AcceptanceSet ReadAcceptance(PlanId id)
    {
        var path = AcceptancePath(id);
        RequireNoLinks(path);
        if (!File.Exists(path))
        {
            return AcceptanceSet.Empty;
        }

        try
        {
            return StoredJson.ParseAcceptance(ReadAllBytes(path));
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                "record_corrupt",
                $"The acceptance files {Shown(path)} cannot be read ({error.Message}). Restore the file from git, or delete it and let the planner write the tests again (write_acceptance_file).");
        }
    }

    public void WriteAcceptance(PlanId id, AcceptanceSet set)
    {
        EnsureFolder(recordsFolder);
        RequireNoLinks(AcceptancePath(id));
        AtomicFile.Write(AcceptancePath(id), StoredJson.Acceptance(set));
    }

    public void AppendJournal(JournalEntry entry)
    {
        EnsureFolder(root);
        journal.Append(entry);
    }

    public IReadOnlyList<JournalEntry> ReadJournal() => File.Exists(JournalPath) ? journal.ReadAll() : [];

    public IReadOnlyList<BadFile> LinkProblems(bool includePlanFiles)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        CheckRoot();
        var problems = new List<BadFile>();
        void Check(string path, string role)
        {
            if (new FileInfo(path).LinkTarget is { } target)
            {
                var shown = Shown(path);
                problems.Add(new BadFile(
                    shown,
                    role == "plan" ? Path.GetFileNameWithoutExtension(path) : null,
                    RefusalCodes.SymlinkRefused,
                    $"{shown} is a symbolic link (to {target}); {role switch
                    {
                        "folder" => "the plans in it are ignored and nothing is written there",
                        "plan" => "the plan is ignored",
                        _ => "it is never opened, so every change is refused",
                    }}. Replace it with a real {(role == "folder" ? "folder" : "file")}: `rm {shown}`, then restore it from git or let mcpplan recreate it."));
            }
        }

        foreach (var folder in Enum.GetValues<PlanFolder>())
        {
            var directory = FolderPath(folder);
            Check(directory, "folder");
            if (includePlanFiles && Directory.Exists(directory) && !IsLink(directory))
            {
                foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.md"))
                {
                    Check(file.FullName, "plan");
                }
            }
        }

        Check(recordsFolder, "folder");
        Check(JournalPath, "file");
        Check(lockPath, "file");
        return problems;
    }

    public string PlanPath(PlanId id, PlanFolder folder) => Path.Combine(FolderPath(folder), id.Value + ".md");

    private string FolderPath(PlanFolder folder) => Path.Combine(root, folder.ToString());

    private string RecordPath(PlanId id) => Path.Combine(recordsFolder, id.Value + ".json");

    /// <summary>The plan's acceptance test files, kept beside its record until the approval commits them.</summary>
    private string AcceptancePath(PlanId id) => Path.Combine(recordsFolder, id.Value + ".acceptance.json");

    private void CheckRoot() => FileSystemGuard.RequireInside(root, repositoryRoot, $"plans root '{PlansRoot}'");

    /// <summary>
    /// Refuses if any component from the plans root down to <paramref name="path"/> is a link, checked right before the
    /// call that uses the path (a link placed after start-up is caught too). The root itself must resolve inside the repository.
    /// </summary>
    private void RequireNoLinks(string path)
    {
        CheckRoot();
        var current = root;
        foreach (var part in Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (IsLink(current))
            {
                throw NoFollowFile.LinkRefused(Shown(current));
            }
        }
    }

    /// <summary>A path below the plans root as messages show it: relative to the repository, forward slashes.</summary>
    private string Shown(string path) => $"{PlansRoot}/{Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')}";

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private byte[] ReadAllBytes(string path)
    {
        using var stream = NoFollowFile.Open(path, FileMode.Open, FileAccess.Read, Shown(path));
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private void EnsureFolder(string directory)
    {
        RequireNoLinks(directory);
        if (Directory.Exists(directory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (UnauthorizedAccessException)
        {
            throw new PlanRefusedException(
                RefusalCodes.ReadOnly,
                $"Cannot create {Path.GetRelativePath(repositoryRoot, directory)}: permission denied. Make the plans root writable; nothing was changed.");
        }
        catch (IOException error)
        {
            throw new PlanRefusedException(
                RefusalCodes.IoError,
                $"Cannot create {Path.GetRelativePath(repositoryRoot, directory)}: {error.Message}. Fix the folder and retry; nothing was changed.");
        }
    }
}
