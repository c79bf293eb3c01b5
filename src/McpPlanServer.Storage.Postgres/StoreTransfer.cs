using System.Text;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// Moves one repository's plans between the file store and the database with nothing lost: plan texts, records and
/// journal lines byte for byte (so the journal's chain and each record's binding to its line still hold), review
/// markdown, claims and the fencing counter. The target must be empty; an import is one transaction. Afterwards both
/// sides are compared item by item and checked for tampering, and any difference is reported.
/// </summary>
public static class StoreTransfer
{
    /// <summary>Files to database. Returns the number of plans moved.</summary>
    public static int Import(FilePlanStore files, PostgresPlanStore database)
    {
        using (database.AcquireLock())
        {
            if (database.ListPlans().Count > 0 || database.ReadJournalLines().Count > 0)
            {
                throw new PlanRefusedException(
                    "store_not_empty",
                    $"Repository '{database.Repository}' already has plans or a journal in the database, so nothing was imported (an import never merges). Export them first, or choose another store.repository.");
            }

            var plans = files.ListPlans();
            RequireUnique(plans);
            foreach (var location in plans)
            {
                database.WriteText(location.Id, location.Folder, File.ReadAllBytes(files.PlanPath(location.Id, location.Folder)), new DateTimeOffset(File.GetLastWriteTimeUtc(files.PlanPath(location.Id, location.Folder))));
                if (FileRecordBytes(files, location.Id) is { } record)
                {
                    database.WriteRawRecord(location.Id, StoredJson.ParseRecord(record).Revision, record);
                }

                foreach (var (iteration, markdown) in FileReviews(files, location.Id))
                {
                    database.WriteReviewMarkdown(location.Id, iteration, markdown);
                }

                if (FileAcceptanceBytes(files, location.Id) is { } acceptance)
                {
                    database.WriteAcceptanceBytes(location.Id, StoredJson.ParseAcceptance(acceptance).Revision, acceptance, requirePrevious: false);
                }
            }

            database.AppendRawJournalLines(FileJournalLines(files));
            database.WriteClaims(files.ReadClaims());
            return plans.Count;
        }
    }

    /// <summary>Database to files. Returns the number of plans moved.</summary>
    public static int Export(PostgresPlanStore database, FilePlanStore files)
    {
        using (files.AcquireLock())
        {
            if (files.ListPlans().Count > 0 || File.Exists(files.JournalPath))
            {
                throw new PlanRefusedException(
                    "store_not_empty",
                    $"{files.PlansRoot} already holds plans or a journal, so nothing was exported (an export never merges). Move them away first.");
            }

            var plans = database.ListPlans();
            foreach (var location in plans)
            {
                var (folder, bytes, writtenAt) = database.ReadTextBytes(location.Id)!.Value;
                var path = files.PlanPath(location.Id, folder);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, bytes);
                File.SetLastWriteTimeUtc(path, writtenAt.UtcDateTime);
                if (database.ReadRecordBytes(location.Id) is { } record)
                {
                    Directory.CreateDirectory(RecordsFolder(files));
                    AtomicFile.Write(RecordPath(files, location.Id), record);
                }

                foreach (var (iteration, markdown) in database.ReadReviewMarkdowns(location.Id))
                {
                    files.WriteReviewMarkdown(location.Id, iteration, markdown);
                }

                if (database.ReadAcceptanceBytes(location.Id) is { } acceptance)
                {
                    Directory.CreateDirectory(RecordsFolder(files));
                    AtomicFile.Write(AcceptancePath(files, location.Id), acceptance);
                }
            }

            var lines = database.ReadJournalLines();
            if (lines.Count > 0)
            {
                var journal = new MemoryStream();
                foreach (var (_, line) in lines)
                {
                    journal.Write(line);
                    journal.WriteByte((byte)'\n');
                }

                AtomicFile.Write(files.JournalPath, journal.ToArray());
            }

            files.WriteClaims(database.ReadClaims());
            return plans.Count;
        }
    }

    /// <summary>Every difference between the two sides (empty when they hold the same), then what the tamper check finds on either side but not the other.</summary>
    public static IReadOnlyList<string> Compare(FilePlanStore files, PostgresPlanStore database)
    {
        var differences = new List<string>();
        var onFiles = files.ListPlans().ToDictionary(location => location.Id);
        var inDatabase = database.ListPlans().ToDictionary(location => location.Id);
        foreach (var id in onFiles.Keys.Union(inDatabase.Keys).OrderBy(id => id.Value, StringComparer.Ordinal))
        {
            if (!onFiles.TryGetValue(id, out var file) || !inDatabase.TryGetValue(id, out var row))
            {
                differences.Add($"plan '{id}' is only {(onFiles.ContainsKey(id) ? "in the files" : "in the database")}");
                continue;
            }

            var text = database.ReadTextBytes(id)!.Value;
            if (file.Folder != row.Folder)
            {
                differences.Add($"plan '{id}' is in {file.Folder}/ in the files but {row.Folder}/ in the database");
            }
            else if (!File.ReadAllBytes(files.PlanPath(id, file.Folder)).AsSpan().SequenceEqual(text.Bytes))
            {
                differences.Add($"the text of '{id}' differs");
            }

            if (!Same(FileRecordBytes(files, id), database.ReadRecordBytes(id)))
            {
                differences.Add($"the record of '{id}' differs");
            }

            if (!FileReviews(files, id).SequenceEqual(database.ReadReviewMarkdowns(id)))
            {
                differences.Add($"the review markdown of '{id}' differs");
            }

            if (!Same(FileAcceptanceBytes(files, id), database.ReadAcceptanceBytes(id)))
            {
                differences.Add($"the acceptance files of '{id}' differ");
            }
        }

        var fileLines = FileJournalLines(files);
        var rows = database.ReadJournalLines();
        if (fileLines.Count != rows.Count || fileLines.Zip(rows).Any(pair => !pair.First.AsSpan().SequenceEqual(pair.Second.Bytes)))
        {
            differences.Add($"the journals differ ({fileLines.Count} lines in the file, {rows.Count} in the database)");
        }

        if (!StoredJson.Claims(files.ReadClaims()).AsSpan().SequenceEqual(StoredJson.Claims(database.ReadClaims())))
        {
            differences.Add("the claims differ");
        }

        var fileFindings = files.CheckIntegrity(null).Select(finding => finding.PlanId + ":" + finding.Line).ToList();
        var databaseFindings = database.CheckIntegrity(null).Select(finding => finding.PlanId + ":" + finding.Line).ToList();
        if (!fileFindings.SequenceEqual(databaseFindings))
        {
            differences.Add($"the tamper check differs: {fileFindings.Count} finding(s) on the files, {databaseFindings.Count} in the database");
        }

        return differences;
    }

    private static void RequireUnique(IReadOnlyList<PlanLocation> plans)
    {
        if (plans.GroupBy(location => location.Id).FirstOrDefault(group => group.Count() > 1) is { } twice)
        {
            throw new PlanRefusedException(
                "duplicate_plan",
                $"Plan '{twice.Key}' is in {string.Join(" and ", twice.Select(location => location.Folder + "/"))}; keep the one in the right state and remove the other, then import.");
        }
    }

    private static bool Same(byte[]? left, byte[]? right) => left is null ? right is null : right is not null && left.AsSpan().SequenceEqual(right);

    private static string RecordsFolder(FilePlanStore files) => Path.Combine(files.RootPath, ".records");

    private static string RecordPath(FilePlanStore files, PlanId id) => Path.Combine(RecordsFolder(files), id.Value + ".json");

    private static byte[]? FileRecordBytes(FilePlanStore files, PlanId id) => File.Exists(RecordPath(files, id)) ? File.ReadAllBytes(RecordPath(files, id)) : null;

    private static string AcceptancePath(FilePlanStore files, PlanId id) => Path.Combine(RecordsFolder(files), id.Value + ".acceptance.json");

    private static byte[]? FileAcceptanceBytes(FilePlanStore files, PlanId id) => File.Exists(AcceptancePath(files, id)) ? File.ReadAllBytes(AcceptancePath(files, id)) : null;

    private static List<(int Iteration, string Markdown)> FileReviews(FilePlanStore files, PlanId id)
    {
        var reviews = new List<(int, string)>();
        if (!Directory.Exists(RecordsFolder(files)))
        {
            return reviews;
        }

        var prefix = id.Value + ".review-";
        foreach (var file in new DirectoryInfo(RecordsFolder(files)).EnumerateFiles(prefix + "*.md"))
        {
            if (file.LinkTarget is null && int.TryParse(file.Name[prefix.Length..^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iteration))
            {
                reviews.Add((iteration, File.ReadAllText(file.FullName, Encoding.UTF8)));
            }
        }

        return [.. reviews.OrderBy(review => review.Item1)];
    }

    /// <summary>The journal file's complete lines as stored (a torn last line, which the next start repairs, is left out).</summary>
    private static List<byte[]> FileJournalLines(FilePlanStore files)
    {
        var lines = new List<byte[]>();
        if (!File.Exists(files.JournalPath))
        {
            return lines;
        }

        var bytes = File.ReadAllBytes(files.JournalPath);
        for (var start = 0; start < bytes.Length;)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                break;
            }

            if (end > start)
            {
                lines.Add(bytes[start..end]);
            }

            start = end + 1;
        }

        return lines;
    }
}
