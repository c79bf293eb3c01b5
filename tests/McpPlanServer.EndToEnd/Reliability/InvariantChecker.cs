using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LibGit2Sharp;

namespace McpPlanServer.EndToEnd.Reliability;

/// <summary>
/// Checks a repository's plans against the disk and git from the outside, reading the files the server writes:
/// each plan in exactly one folder; each record next to a plan, in the plan's folder; the journal parses; no temp
/// files and no git index lock left; every recorded step commit exists with this plan's trailers; every commit
/// with a Plan-Id trailer is recorded by that plan; each chained journal line links to the SHA-256 of the line before
/// it (an unchained legacy prefix allowed, breaks a person accepted with <c>repair</c> allowed); and each record is
/// the content the journal line of its revision recorded; every recorded step commit is reachable from the branch HEAD is
/// on and its changes are still there; no state folder, records folder, journal or lock is a link.
/// </summary>
public static class InvariantChecker
{
    private static readonly string[] Folders = ["Review", "Active", "Completed"];

    public static InvariantReport Check(string repositoryRoot)
    {
        var violations = new List<string>();
        var checkedCount = 0;
        void Expect(bool holds, string violation)
        {
            checkedCount++;
            if (!holds)
            {
                violations.Add(violation);
            }
        }

        var root = Path.Combine(repositoryRoot, ".claude", "plans");
        var plans = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in Folders)
        {
            var path = Path.Combine(root, folder);
            foreach (var file in Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.md") : [])
            {
                var id = Path.GetFileNameWithoutExtension(file);
                Expect(plans.TryAdd(id, folder), $"plan '{id}' is in both {plans.GetValueOrDefault(id)}/ and {folder}/");
                Expect(new FileInfo(file).Length > 0, $"plan '{id}' is empty");
            }
        }

        var recorded = new Dictionary<string, (string Plan, string Step)>(StringComparer.Ordinal);
        var lastTouch = new Dictionary<(string Plan, string Path), (string Sha, DateTimeOffset At)>();
        var records = Path.Combine(root, ".records");
        foreach (var file in Directory.Exists(records) ? Directory.EnumerateFiles(records, "*.json") : [])
        {
            var id = Path.GetFileNameWithoutExtension(file);
            JsonNode? record = null;
            try
            {
                record = JsonNode.Parse(File.ReadAllText(file));
                checkedCount++;
            }
            catch (JsonException error)
            {
                violations.Add($"record of '{id}' does not parse: {error.Message}");
                continue;
            }

            Expect(plans.ContainsKey(id), $"record of '{id}' has no plan file");
            if (plans.TryGetValue(id, out var folder))
            {
                Expect(string.Equals(record!["folder"]?.GetValue<string>(), folder, StringComparison.Ordinal), $"record of '{id}' says {record!["folder"]} but the plan is in {folder}/");
            }

            foreach (var step in record!["steps"]?.AsArray() ?? [])
            {
                foreach (var commit in step!["commits"]?.AsArray() ?? [])
                {
                    var sha = commit!["sha"]!.GetValue<string>();
                    recorded[sha] = (id, step["number"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var at = commit["at"]!.GetValue<DateTimeOffset>();
                    foreach (var touched in commit["files"]?.AsArray() ?? [])
                    {
                        var key = (id, touched!.GetValue<string>());
                        if (!lastTouch.TryGetValue(key, out var seen) || seen.At <= at)
                        {
                            lastTouch[key] = (sha, at);
                        }
                    }
                }
            }
        }

        var journal = Path.Combine(root, "journal.jsonl");
        var bound = new Dictionary<(string Plan, long Revision), string>();
        var breaks = new List<(int Number, string? Plan)>();
        var repairs = new List<(int Number, string? Plan, int Through)>();
        if (File.Exists(journal))
        {
            var number = 0;
            var previous = new string('0', 64);
            var chained = false;
            foreach (var line in File.ReadLines(journal))
            {
                number++;
                try
                {
                    var entry = JsonNode.Parse(line)!;
                    checkedCount++;
                    var link = entry["previousSha256"]?.GetValue<string>();
                    var plan = entry["planId"]?.GetValue<string>();
                    if (link is null ? chained : link != previous)
                    {
                        breaks.Add((number, plan));
                    }

                    chained |= link is not null;
                    previous = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));
                    if (plan is not null && entry["recordSha256"]?.GetValue<string>() is { } recordSha && entry["revision"]?.GetValue<long>() is { } revision && entry["outcome"]?.GetValue<string>() == "ok")
                    {
                        bound[(plan, revision)] = recordSha;
                    }

                    if (entry["action"]?.GetValue<string>() == "repair" && entry["repairedThrough"]?.GetValue<int>() is { } through)
                    {
                        repairs.Add((number, plan, through));
                    }
                }
                catch (JsonException)
                {
                    violations.Add($"journal line {number} does not parse");
                }
            }
        }

        foreach (var entry in Folders.Append(".records").Append("journal.jsonl").Append(".lock"))
        {
            // A link where the store expects a real file or folder may lead outside the repository (mcpplan doctor shows the repair).
            Expect(new FileInfo(Path.Combine(root, entry)).LinkTarget is null, $"{entry} in the plans root is a symbolic link");
        }

        foreach (var (number, plan) in breaks)
        {
            Expect(
                repairs.Any(repair => repair.Number > number && repair.Through >= number && (plan is null || repair.Plan == plan)),
                $"journal line {number} does not follow the line before it (written by hand?)");
        }

        foreach (var file in Directory.Exists(records) ? Directory.EnumerateFiles(records, "*.json") : [])
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var bytes = File.ReadAllBytes(file);
            long revision;
            try
            {
                revision = JsonNode.Parse(bytes)?["revision"]?.GetValue<long>() ?? 0;
            }
            catch (System.Text.Json.JsonException)
            {
                // A record that does not parse is reported by the record check above; it binds to no revision.
                continue;
            }

            var planBound = bound.Where(pair => pair.Key.Plan == id).ToList();
            if (bound.TryGetValue((id, revision), out var expected))
            {
                Expect(expected == Convert.ToHexStringLower(SHA256.HashData(bytes)), $"record of '{id}' (revision {revision}) is not the content its journal line recorded");
            }
            else
            {
                // Legacy (no bound line for the plan), or the next revision's line whose record write a crash lost.
                Expect(planBound.All(pair => pair.Key.Revision == revision + 1), $"record of '{id}' is at revision {revision}, which no journal line recorded");
            }
        }

        if (Directory.Exists(root))
        {
            var temps = Directory.EnumerateFiles(root, ".*.tmp", SearchOption.AllDirectories).ToList();
            Expect(temps.Count == 0, $"temp files left: {string.Join(", ", temps.Select(Path.GetFileName))}");
        }

        Expect(!File.Exists(Path.Combine(repositoryRoot, ".git", "index.lock")), "git's index.lock is left behind");

        using var repository = new Repository(repositoryRoot);
        var withTrailers = new Dictionary<string, (string Plan, string Step)>(StringComparer.Ordinal);
        IEnumerable<Commit> history = repository.Head.Tip is null ? [] : repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = repository.Head });
        foreach (var commit in history)
        {
            var trailers = commit.Message.Split('\n').Select(line => line.Split(':', 2)).Where(parts => parts.Length == 2).ToList();
            var plan = trailers.LastOrDefault(parts => parts[0] == "Plan-Id")?[1].Trim();
            var step = trailers.LastOrDefault(parts => parts[0] == "Plan-Step")?[1].Trim();
            if (plan is not null)
            {
                withTrailers[commit.Sha] = (plan, step ?? string.Empty);
            }
        }

        foreach (var (sha, (plan, step)) in recorded)
        {
            Expect(withTrailers.TryGetValue(sha, out var trailers), $"recorded commit {sha[..12]} of '{plan}' step {step} is not in the history with trailers");
            Expect(trailers == (plan, step), $"commit {sha[..12]} carries Plan-Id {trailers.Plan}/Plan-Step {trailers.Step}, but the record says '{plan}' step {step}");
        }

        foreach (var ((plan, path), (sha, _)) in lastTouch)
        {
            var commit = repository.Lookup<Commit>(sha);
            if (commit is null || repository.Head.Tip is not { } head)
            {
                continue;
            }

            var reachable = head.Id == commit.Id || repository.ObjectDatabase.FindMergeBase(commit, head)?.Id == commit.Id;
            Expect(reachable, $"recorded commit {sha[..12]} of '{plan}' is not reachable from the branch HEAD is on");
            var before = commit.Parents.FirstOrDefault()?.Tree[path];
            var undone = reachable && !Same(commit.Tree[path], before) && Same(head.Tree[path], before);
            Expect(!undone, $"the change of recorded commit {sha[..12]} of '{plan}' to {path} is no longer on the branch (a later commit put it back)");
        }

        foreach (var (sha, (plan, step)) in withTrailers)
        {
            Expect(recorded.ContainsKey(sha), $"commit {sha[..12]} (Plan-Id {plan}, Plan-Step {step}) is in git but no record has it");
        }

        return new InvariantReport(violations, checkedCount);
    }

    private static bool Same(TreeEntry? left, TreeEntry? right) =>
        (left is null && right is null) || (left is not null && right is not null && left.Target.Id == right.Target.Id && left.Mode == right.Mode);
}
