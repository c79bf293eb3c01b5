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
public static partial class InvariantChecker
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
        foreach (var commit in History(repository))
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
            // A plan built on its own branch (planBranches) is judged on that branch; any other on the branch HEAD is on.
            var commit = repository.Lookup<Commit>(sha);
            if (commit is null || (repository.Branches[$"plan/{plan}"]?.Tip ?? repository.Head.Tip) is not { } head)
            {
                continue;
            }

            var reachable = Reaches(repository, head, commit);
            Expect(reachable, $"recorded commit {sha[..12]} of '{plan}' is not reachable from its plan's branch or the branch HEAD is on");
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

    /// <summary>
    /// The parallel loop's invariants (issue 11) on top of <see cref="Check"/>, from the journal (written in one order under
    /// the store's lock) and git: no plan ever had two live claims and no fence was handed out twice; every step commit
    /// carries the claim number of a holder that was live when it was made; every completion (integrate included) came after a
    /// review that verified the plan with nothing reopening it since; every step commit of an integrated plan is
    /// reachable from <paramref name="targetBranch"/>; and every file <paramref name="targetBranch"/> had before the run
    /// (<paramref name="filesBefore"/>: path → blob id) is still there, unchanged unless a recorded step commit changed it.
    /// Claims are taken to end only by release or break: run it where no holder process dies and no claim idles out.
    /// </summary>
    public static InvariantReport CheckParallel(string repositoryRoot, string targetBranch, IReadOnlyDictionary<string, string> filesBefore)
    {
        var general = Check(repositoryRoot);
        var violations = new List<string>(general.Violations);
        var checkedCount = general.Checked;
        void Expect(bool holds, string violation)
        {
            checkedCount++;
            if (!holds)
            {
                violations.Add(violation);
            }
        }

        using var repository = new Repository(repositoryRoot);
        var fenceOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var commit in History(repository))
        {
            var claim = commit.Message.Split('\n').Select(line => line.Split(':', 2)).LastOrDefault(parts => parts.Length == 2 && parts[0] == "Plan-Claim")?[1].Trim();
            if (claim is not null && long.TryParse(claim, System.Globalization.CultureInfo.InvariantCulture, out var fence))
            {
                fenceOf[commit.Sha[..12]] = fence;
            }
        }

        var open = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        var seen = new Dictionary<long, string>();
        var verifiedNow = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var (entry, plan, detail) in JournalEntries(repositoryRoot, skip: 0))
        {
            number++;
            if (plan is null || detail is null)
            {
                continue;
            }

            var held = open.TryGetValue(plan, out var fences) ? fences : open[plan] = [];
            switch (entry["action"]?.GetValue<string>())
            {
                // Only a verified plan is completed or integrated: its last review said so, and nothing reopened it since.
                case "submit_review" when detail.EndsWith("→ verified", StringComparison.Ordinal):
                    verifiedNow.Add(plan);
                    break;
                case "submit_review" or "request_changes" or "submit_for_review" or "approve":
                    verifiedNow.Remove(plan);
                    break;
                case "complete":
                    Expect(verifiedNow.Remove(plan), $"journal line {number}: plan '{plan}' was completed ({detail}) though its last review had not verified it");
                    break;
                case "claim" when ClaimLine().Match(detail) is { Success: true } match:
                    var granted = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    Expect(held.Count == 0, $"journal line {number}: plan '{plan}' got claim {granted} while claim {string.Join(", ", held)} was live");
                    Expect(seen.TryAdd(granted, plan), $"journal line {number}: fence {granted} handed out again (before: plan '{seen.GetValueOrDefault(granted)}')");
                    held.Add(granted);
                    break;
                case "release_plan" or "release" when EndLine().Match(detail) is { Success: true } match:
                    var ended = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    Expect(held.Remove(ended), $"journal line {number}: claim {ended} of '{plan}' ended but was not live");
                    break;
                case "commit_step" when StepLine().Match(detail) is { Success: true } match:
                    var sha = match.Groups[1].Value;
                    if (!fenceOf.TryGetValue(sha, out var carried))
                    {
                        Expect(false, $"journal line {number}: step commit {sha} of '{plan}' carries no Plan-Claim (or is in no branch)");
                        break;
                    }

                    // A first commit_step on a free plan claims it itself: a fence never seen before, while no other claim is live.
                    if (!held.Contains(carried) && held.Count == 0 && seen.TryAdd(carried, plan))
                    {
                        held.Add(carried);
                    }

                    Expect(held.Contains(carried), $"journal line {number}: step commit {sha} of '{plan}' carries claim {carried}, which was not the live claim ({(held.Count == 0 ? "none" : string.Join(", ", held))})");
                    break;
            }
        }

        var target = repository.Branches[targetBranch]?.Tip;
        Expect(target is not null, $"the target branch {targetBranch} is gone");
        var records = Path.Combine(repositoryRoot, ".claude", "plans", ".records");
        var changedByPlans = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.Exists(records) ? Directory.EnumerateFiles(records, "*.json") : [])
        {
            var record = JsonNode.Parse(File.ReadAllText(file))!;
            var plan = Path.GetFileNameWithoutExtension(file);
            var integrated = record["integratedCommit"]?.GetValue<string>();
            foreach (var commit in record["steps"]?.AsArray().SelectMany(step => step!["commits"]?.AsArray() ?? []) ?? [])
            {
                foreach (var touched in commit!["files"]?.AsArray() ?? [])
                {
                    changedByPlans.Add(touched!.GetValue<string>());
                }

                if (integrated is not null && target is not null)
                {
                    var sha = commit["sha"]!.GetValue<string>();
                    Expect(repository.Lookup<Commit>(sha) is { } stepCommit && Reaches(repository, target, stepCommit), $"step commit {sha[..12]} of integrated plan '{plan}' is not reachable from {targetBranch}");
                }
            }

            if (integrated is not null && target is not null)
            {
                Expect(repository.Lookup<Commit>(integrated) is { } integration && Reaches(repository, target, integration), $"the integration commit {integrated[..12]} of '{plan}' is not reachable from {targetBranch}");
            }
        }

        foreach (var (path, blob) in filesBefore)
        {
            var now = target?[path];
            Expect(now is not null, $"{path}, committed on {targetBranch} before the run, is gone from it");
            Expect(now is null || now.Target.Sha == blob || changedByPlans.Contains(path), $"{path}, committed on {targetBranch} before the run, changed though no step commit changed it");
        }

        return new InvariantReport(violations, checkedCount);
    }

    /// <summary>The journal's line count now: a mark for <see cref="VerifiedSince"/>.</summary>
    public static int JournalLength(string repositoryRoot) => JournalEntries(repositoryRoot, skip: 0).Count();

    /// <summary>
    /// Whether a review verified <paramref name="planId"/> after the journal's first <paramref name="mark"/> lines: what
    /// explains a plan read as unverified at the mark being integrated a moment later (the planner's review came between).
    /// </summary>
    public static bool VerifiedSince(string repositoryRoot, string planId, int mark) =>
        JournalEntries(repositoryRoot, mark).Any(line => line.Plan == planId && line.Entry["action"]?.GetValue<string>() == "submit_review"
            && line.Detail?.EndsWith("→ verified", StringComparison.Ordinal) == true);

    /// <summary>The journal's lines after the first <paramref name="skip"/>; plan and detail only on a line whose outcome is ok.</summary>
    private static IEnumerable<(JsonNode Entry, string? Plan, string? Detail)> JournalEntries(string repositoryRoot, int skip)
    {
        var journal = Path.Combine(repositoryRoot, ".claude", "plans", "journal.jsonl");
        foreach (var line in (File.Exists(journal) ? File.ReadLines(journal) : []).Skip(skip))
        {
            var entry = JsonNode.Parse(line)!;
            var ok = entry["outcome"]?.GetValue<string>() == "ok";
            yield return (entry, ok ? entry["planId"]?.GetValue<string>() : null, ok ? entry["detail"]?.GetValue<string>() : null);
        }
    }

    /// <summary>Every commit reachable from HEAD or from a plan's branch <c>plan/ID</c>.</summary>
    private static IEnumerable<Commit> History(Repository repository)
    {
        List<object> tips = [.. repository.Branches.Where(branch => !branch.IsRemote && branch.FriendlyName.StartsWith("plan/", StringComparison.Ordinal) && branch.Tip is not null).Select(branch => (object)branch.Tip)];
        if (repository.Head.Tip is not null)
        {
            tips.Add(repository.Head);
        }

        return tips.Count == 0 ? [] : repository.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = tips });
    }

    private static bool Reaches(Repository repository, Commit tip, Commit commit) =>
        tip.Id == commit.Id || repository.ObjectDatabase.FindMergeBase(commit, tip)?.Id == commit.Id;

    [System.Text.RegularExpressions.GeneratedRegex(@"^claim (\d+) by ")]
    private static partial System.Text.RegularExpressions.Regex ClaimLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"^claim (\d+) (released|of .* broken)")]
    private static partial System.Text.RegularExpressions.Regex EndLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"^step \d+: ([0-9a-f]{12}) ")]
    private static partial System.Text.RegularExpressions.Regex StepLine();

    private static bool Same(TreeEntry? left, TreeEntry? right) =>
        (left is null && right is null) || (left is not null && right is not null && left.Target.Id == right.Target.Id && left.Mode == right.Mode);
}
