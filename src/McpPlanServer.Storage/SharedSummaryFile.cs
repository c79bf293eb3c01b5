using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage;

/// <summary>
/// The plan summaries shared by the processes of one repository, in one file in its git folder (never committed, never
/// under the plans root): the first line is an HMAC-SHA256 of the rest, keyed by a secret kept in the user's own state
/// folder, outside every repository. A file that does not verify (edited by hand, written for another plans root or by
/// another build of mcpplan, torn, a link) is read as no entries; the index then reads the plans themselves. Nothing here
/// is trusted for more than a cache: each entry still has to match the plan's current stamp and HEAD.
/// </summary>
public sealed class SharedSummaryFile(string path, byte[] key, string scope) : ISharedSummaries
{
    private static readonly IReadOnlyDictionary<(string Id, PlanFolder Folder), SharedSummary> None = new Dictionary<(string, PlanFolder), SharedSummary>();
    private readonly Lock gate = new();
    private (long Length, long Ticks, IReadOnlyDictionary<(string Id, PlanFolder Folder), SharedSummary> Entries)? parsed;

    public string Path { get; } = path;

    /// <summary>
    /// The shared file of the repository at <paramref name="storeRoot"/> for the plans root at <paramref name="plansRootPath"/>,
    /// or null when there is no place for it: no real <c>.git</c> folder (a link, a file, none), or no per-user key.
    /// </summary>
    public static SharedSummaryFile? For(string storeRoot, string plansRootPath)
    {
        var gitFolder = new DirectoryInfo(System.IO.Path.Combine(storeRoot, ".git"));
        if (!gitFolder.Exists || gitFolder.LinkTarget is not null || SummaryKey.ForUser() is not { } key)
        {
            return null;
        }

        return new SharedSummaryFile(System.IO.Path.Combine(gitFolder.FullName, "mcpplan", "summaries.json"), key, ScopeOf(plansRootPath));
    }

    /// <summary>What an entry is valid for: this plans root, read by this build of mcpplan (another build may summarize differently).</summary>
    public static string ScopeOf(string plansRootPath)
    {
        var build = typeof(PlanSummaryIndex).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return $"{System.IO.Path.GetFullPath(plansRootPath)}|{build}";
    }

    public IReadOnlyDictionary<(string Id, PlanFolder Folder), SharedSummary> Load()
    {
        try
        {
            var info = new FileInfo(Path);
            if (!info.Exists || FolderIsLink())
            {
                return None;
            }

            lock (gate)
            {
                if (parsed is { } kept && kept.Length == info.Length && kept.Ticks == info.LastWriteTimeUtc.Ticks)
                {
                    return kept.Entries;
                }
            }

            byte[] bytes;
            using (var stream = NoFollowFile.Open(Path, FileMode.Open, FileAccess.Read, Path))
            {
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }

            var entries = Verified(bytes);
            lock (gate)
            {
                parsed = (bytes.Length, info.LastWriteTimeUtc.Ticks, entries);
            }

            return entries;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or PlanRefusedException)
        {
            return None;
        }
    }

    public void Save(IReadOnlyCollection<SharedSummary> entries)
    {
        try
        {
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            if (FolderIsLink())
            {
                return;
            }

            Directory.CreateDirectory(folder);
            var payload = JsonSerializer.SerializeToUtf8Bytes(new SharedSummaryDocument(scope, [.. entries]), SharedSummaryJsonContext.Default.SharedSummaryDocument);
            var mac = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(key, payload)) + "\n");
            AtomicFile.Write(Path, [.. mac, .. payload]);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or PlanRefusedException)
        {
            // A cache that cannot be written (a read-only repository, a full disk) costs only later reads.
        }
    }

    private bool FolderIsLink() => new DirectoryInfo(System.IO.Path.GetDirectoryName(Path)!).LinkTarget is not null;

    /// <summary>The entries when the MAC line matches the rest and the scope is ours; otherwise none.</summary>
    private IReadOnlyDictionary<(string Id, PlanFolder Folder), SharedSummary> Verified(byte[] bytes)
    {
        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline != 64)
        {
            return None;
        }

        var payload = bytes.AsSpan(newline + 1);
        byte[] stated;
        try
        {
            stated = Convert.FromHexString(Encoding.ASCII.GetString(bytes, 0, 64));
        }
        catch (FormatException)
        {
            return None;
        }

        if (!CryptographicOperations.FixedTimeEquals(stated, HMACSHA256.HashData(key, payload)))
        {
            return None;
        }

        try
        {
            var document = JsonSerializer.Deserialize(payload, SharedSummaryJsonContext.Default.SharedSummaryDocument);
            return document is null || document.Scope != scope
                ? None
                : document.Entries.GroupBy(entry => (entry.Id, entry.Folder)).ToDictionary(group => group.Key, group => group.Last());
        }
        catch (JsonException)
        {
            return None;
        }
    }
}
