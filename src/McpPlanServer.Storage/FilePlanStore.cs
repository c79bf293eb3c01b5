using System.Text.Json;
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
/// cross-process lock. Every write is atomic; every path is checked to stay inside the repository.
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

    public FilePlanStore(string repositoryRoot, PlanServerConfig config)
    {
        this.repositoryRoot = FileSystemGuard.RealPath(repositoryRoot);
        PlansRoot = config.PlansRoot.Replace('\\', '/').Trim('/');
        root = Path.Combine(this.repositoryRoot, PlansRoot.Replace('/', Path.DirectorySeparatorChar));
        recordsFolder = Path.Combine(root, ".records");
        lockPath = Path.Combine(root, ".lock");
        journal = new JsonlJournal(Path.Combine(root, "journal.jsonl"));
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
            held = AcquireLock();
        }
        catch (PlanRefusedException refusal) when (refusal.Code is "read_only" or "permission_denied")
        {
            // Nothing can be repaired where nothing can be written, and nothing needs to be: a torn tail or a temp file
            // is never read as data. Reading stays possible; every write is refused with this same reason.
            return $"recovery skipped ({refusal.Code}): {refusal.Message}";
        }

        using (held)
        {
            var dropped = journal.Repair();
            var swept = TempFileSweeper.Sweep(root, recursive: true);
            return dropped == 0 && swept == 0 ? null : $"recovered: {dropped} torn journal bytes dropped, {swept} temp files removed";
        }
    }

    public IDisposable AcquireLock()
    {
        EnsureFolder(root);
        return CrossProcessLock.Acquire(lockPath, LockTimeout, CancellationToken.None);
    }

    public IReadOnlyList<PlanLocation> ListPlans()
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        CheckRoot();
        var locations = new List<PlanLocation>();
        foreach (var folder in Enum.GetValues<PlanFolder>())
        {
            var directory = FolderPath(folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.md"))
            {
                // Anything that is not a valid id (README.md, notes) is not a plan; links are never followed.
                if (file.LinkTarget is null && PlanId.TryParse(Path.GetFileNameWithoutExtension(file.Name), out var id, out _))
                {
                    locations.Add(new PlanLocation(id, folder, file.LastWriteTimeUtc));
                }
            }
        }

        return locations;
    }

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
            if (file.Exists)
            {
                if (file.LinkTarget is not null)
                {
                    throw new PlanRefusedException(
                        "symlink_refused",
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
                "duplicate_plan",
                $"Plan '{id}' exists in {string.Join(" and ", found.Select(location => location.Folder + "/"))}. Keep the one in the right state and remove the other (a person's decision; the server will not guess)."),
        };
    }

    public string ReadText(PlanLocation location)
    {
        var path = PlanPath(location.Id, location.Folder);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            // Reads take no lock: another process may have moved the plan since it was located.
            throw new PlanRefusedException("plan_moved", $"Plan '{location.Id}' left {location.Folder}/ while it was being read (another process moved it). Read it again.");
        }

        if (info.Length > maxPlanBytes)
        {
            throw new PlanRefusedException(
                "plan_too_large",
                $"{PlansRoot}/{location.Folder}/{location.Id}.md is {info.Length} bytes; the limit is {maxPlanBytes} (maxPlanBytes in the config). Shorten the plan.");
        }

        try
        {
            return PlanText.Decode(File.ReadAllBytes(path), maxPlanBytes);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PlanRefusedException("plan_moved", $"Plan '{location.Id}' left {location.Folder}/ while it was being read (another process moved it). Read it again.");
        }
    }

    public PlanRecord? ReadRecord(PlanId id)
    {
        var path = RecordPath(id);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), RecordJsonContext.Default.PlanRecord);
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException(
                "record_corrupt",
                $"The record {PlansRoot}/.records/{id}.json cannot be read ({error.Message}). Restore it from git or delete it to rebuild it from the plan text (progress and reviews are then lost).");
        }
    }

    public DateTimeOffset WriteText(PlanId id, PlanFolder folder, string text)
    {
        var directory = FolderPath(folder);
        EnsureFolder(directory);
        var path = PlanPath(id, folder);
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
        return File.GetLastWriteTimeUtc(path);
    }

    public void Move(PlanId id, PlanFolder from, PlanFolder to)
    {
        var source = PlanPath(id, from);
        var target = PlanPath(id, to);
        EnsureFolder(FolderPath(to));
        if (File.Exists(target))
        {
            throw new PlanRefusedException(
                "duplicate_plan",
                $"{PlansRoot}/{to}/{id}.md already exists, so '{id}' cannot move there. Remove or rename one of the two copies.");
        }

        FaultInjection.Hit("store:before-move");
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
                "stale_revision",
                $"The record of '{id}' is at revision {storedRevision}; this write was based on revision {record.Revision - 1}. Read the plan again and retry.");
        }

        EnsureFolder(recordsFolder);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, RecordJsonContext.Default.PlanRecord);

        // The journal line first: killed before the record is written, the record stays at the revision its own line
        // recorded, and the newer line is a change that did not happen (never a record that no line recorded).
        AppendJournal(entry with { PlanId = id.Value, Revision = record.Revision, RecordSha256 = JsonlJournal.LineSha256(bytes) });
        AtomicFile.Write(RecordPath(id), bytes);
    }

    public IReadOnlyList<TamperFinding> CheckIntegrity(PlanId? id)
    {
        var scan = journal.Scan();
        var findings = new List<TamperFinding>();
        var repairs = scan.Lines.Where(line => line.Entry.Action == "repair" && line.Entry.RepairedThrough is not null).ToList();
        foreach (var broken in scan.Breaks)
        {
            var plan = broken.Entry.PlanId;
            if ((id is not null && plan is not null && plan != id.Value.Value)
                || repairs.Any(repair => repair.Number > broken.Number && repair.Entry.RepairedThrough >= broken.Number && (plan is null || repair.Entry.PlanId == plan)))
            {
                continue;
            }

            var what = broken.Entry.PreviousSha256 is null
                ? "has no link to the line before it, though the journal's chain began earlier: it was added by hand (or by an mcpplan older than the chain)"
                : "does not follow the line before it: a line up to here was changed, removed or inserted by hand";
            findings.Add(new TamperFinding(plan, $"journal line {broken.Number} ({broken.Entry.Actor} {broken.Entry.Action} {plan ?? "-"} {broken.Entry.Outcome}) {what}", broken.Number));
        }

        foreach (var planId in id is { } one ? [one.Value] : scan.Lines.Select(line => line.Entry.PlanId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (CheckRecordBinding(PlanId.Parse(planId), scan) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    /// <summary>The record must be the one its revision's journal line recorded; records from before binding are legacy.</summary>
    private TamperFinding? CheckRecordBinding(PlanId id, JournalScan scan)
    {
        var path = RecordPath(id);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var record = ReadRecord(id)!;
        var bound = scan.Lines.Where(line => line.Entry.PlanId == id.Value && line.Entry.RecordSha256 is not null && line.Entry.Outcome == "ok").ToList();
        var own = bound.LastOrDefault(line => line.Entry.Revision == record.Revision);
        var relative = $"{PlansRoot}/.records/{id}.json";
        if (own is null)
        {
            // A legacy record (written before binding) is accepted while no line bound a record to this plan, or only the
            // next revision's line exists: a change whose record write a crash lost.
            var newest = bound.Count == 0 ? 0 : bound.Max(line => line.Entry.Revision ?? 0);
            return bound.All(line => line.Entry.Revision == record.Revision + 1)
                ? null
                : new TamperFinding(id.Value, $"{relative} is at revision {record.Revision}, which no journal line recorded (the journal's latest is revision {newest}): the record was edited or replaced by hand", RecordChanged: true);
        }

        return own.Entry.RecordSha256 == JsonlJournal.LineSha256(bytes)
            ? null
            : new TamperFinding(id.Value, $"{relative} (revision {record.Revision}) is not the content journal line {own.Number} recorded: the record was edited by hand{(record.Approval is null ? string.Empty : " (its approval cannot be trusted)")}", RecordChanged: true);
    }

    public void WriteReviewMarkdown(PlanId id, int iteration, string markdown)
    {
        EnsureFolder(recordsFolder);
        AtomicFile.Write(Path.Combine(recordsFolder, $"{id}.review-{iteration}.md"), Encoding.UTF8.GetBytes(markdown));
    }

    public void AppendJournal(JournalEntry entry)
    {
        EnsureFolder(root);
        journal.Append(entry);
    }

    public IReadOnlyList<JournalEntry> ReadJournal() => File.Exists(JournalPath) ? journal.ReadAll() : [];

    public string PlanPath(PlanId id, PlanFolder folder) => Path.Combine(FolderPath(folder), id.Value + ".md");

    private string FolderPath(PlanFolder folder) => Path.Combine(root, folder.ToString());

    private string RecordPath(PlanId id) => Path.Combine(recordsFolder, id.Value + ".json");

    private void CheckRoot() => FileSystemGuard.RequireInside(root, repositoryRoot, $"plans root '{PlansRoot}'");

    private void EnsureFolder(string directory)
    {
        CheckRoot();
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
                "read_only",
                $"Cannot create {Path.GetRelativePath(repositoryRoot, directory)}: permission denied. Make the plans root writable; nothing was changed.");
        }
        catch (IOException error)
        {
            throw new PlanRefusedException(
                "io_error",
                $"Cannot create {Path.GetRelativePath(repositoryRoot, directory)}: {error.Message}. Fix the folder and retry; nothing was changed.");
        }
    }
}
