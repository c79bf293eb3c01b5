using System.Security.Cryptography;
using System.Text;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Core.Acceptance;

/// <summary>
/// The planner's acceptance tests (issue 20): written with the plan while it is in Review, covered by the approval's
/// hash, committed as the plan's first commit at approval, out of the implementer's reach from then on (commit_step
/// refuses them, the review reports changes made around it), and run by the server at hand-in and integration on a
/// clean checkout with the pinned versions laid over it.
/// </summary>
public sealed class PlanAcceptance
{
    private readonly WorkflowJournal journal;
    private readonly PlanReader reader;
    private readonly IPlanStore store;
    private readonly PlanServerConfig config;
    private readonly IRepositoryGateway? repository;
    private readonly Func<IAcceptanceRunner?> runner;

    internal PlanAcceptance(WorkflowJournal journal, PlanReader reader, PlanServerConfig config, Func<IAcceptanceRunner?> runner)
    {
        this.journal = journal;
        this.reader = reader;
        store = reader.Store;
        this.config = config;
        repository = reader.Repository;
        this.runner = runner;
    }

    public const int MaxFileBytes = 256 * 1024;

    public const int MaxTotalBytes = 1024 * 1024;

    /// <summary>The hash over the current text and the stored files the section names; null when it names none that is written.</summary>
    public static string? CurrentHash(IPlanStore store, PlanId id, PlanDocument document, string textSha256)
    {
        if (document.AcceptanceTests is not { Files.Count: > 0 } section)
        {
            return null;
        }

        var files = Listed(section, store.ReadAcceptance(id)).Files;
        return files.Count == 0 ? null : ApprovalHash.Compute(textSha256, files);
    }

    /// <summary>The planner writes one acceptance test file the plan's section names, while the plan is in Review.</summary>
    public WriteAcceptanceResult WriteFile(Actor actor, string id, string path, string content, long? expectedRevision) =>
        journal.Locked(() =>
        {
            var plan = reader.ReadPlan(id);
            PlanLifecycle.Require(PlanTransition.Revise, actor, plan.Id.Value, plan.State);
            if (plan.Location.Folder != PlanFolder.Review)
            {
                throw new PlanRefusedException(
                    "wrong_state",
                    $"Plan '{plan.Id}' is {plan.State}: acceptance tests change only while the plan is in Review. Revise the plan (write_plan with expected_revision), which returns it to Review, then write the file; the person approves both again.");
            }

            if (plan.Document.AcceptanceTests is not { } section)
            {
                throw new PlanRefusedException(
                    "no_acceptance_section",
                    $"Plan '{plan.Id}' has no '## Acceptance Tests' section. Add one naming the command and the file (see the plan_template prompt) with write_plan, then write the file.");
            }

            if (!RepoRelativePath.TryNormalize(path, out var normalized, out var error))
            {
                throw new PlanRefusedException("path_outside_repository", error);
            }

            if (!section.Files.Any(file => file.Path == normalized))
            {
                throw new PlanRefusedException(
                    "acceptance_path_unlisted",
                    $"'{normalized}' is not listed under '## Acceptance Tests' of '{plan.Id}' (listed: {(section.Files.Count == 0 ? "none" : string.Join(", ", section.Files.Select(file => file.Path)))}). List it there with write_plan first: the person approves the list and the files together.");
            }

            if (RepoRelativePath.IsUnder(normalized, store.PlansRoot) || ProtectedPaths.ClientSettings.Any(guarded => RepoRelativePath.IsUnder(normalized, guarded)))
            {
                throw new PlanRefusedException("path_protected", $"'{normalized}' is in the plans root or the client settings, where no test file may go. Use a path under the repository's tests.");
            }

            RequireContent(normalized, content);
            var set = store.ReadAcceptance(plan.Id);
            var existing = set.Find(normalized);
            if (expectedRevision is { } expected && expected != set.Revision)
            {
                throw new PlanRefusedException(
                    "stale_revision",
                    $"The acceptance files of '{plan.Id}' are at revision {set.Revision}, not {expected}: they changed since you read them. read_plan, then write again with expected_revision={set.Revision}.");
            }

            var sha = ApprovalHash.ContentSha256(content);
            if (existing is not null && expectedRevision is null && existing.Sha256 != sha)
            {
                throw new PlanRefusedException(
                    "revision_required",
                    $"'{normalized}' already exists for '{plan.Id}'. To replace it, pass expected_revision={set.Revision} (read_plan shows the acceptance files).");
            }

            if (existing?.Sha256 == sha)
            {
                return Result(plan, normalized, set, sha, unchanged: true);
            }

            var files = set.Files.Where(file => file.Path != normalized).Append(new AcceptanceFile(normalized, content, sha)).OrderBy(file => file.Path, StringComparer.Ordinal).ToList();
            var total = files.Sum(file => Encoding.UTF8.GetByteCount(file.Content));
            if (total > MaxTotalBytes)
            {
                throw new PlanRefusedException("acceptance_too_large", $"The acceptance files of '{plan.Id}' would total {total} bytes; the limit is {MaxTotalBytes}. Keep the tests that define done.");
            }

            var written = new AcceptanceSet(set.Revision + 1, files);
            store.WriteAcceptance(plan.Id, written);
            journal.Save(plan, actor, "write_acceptance_file", record => record, $"{normalized} ({Encoding.UTF8.GetByteCount(content)} bytes, sha256 {sha[..12]}), acceptance revision {written.Revision}");
            return Result(plan, normalized, written, sha, unchanged: false);
        });

    /// <summary>
    /// At approval: every file the section names must be written; they are committed (trailers Plan-Id, Plan-Acceptance)
    /// unless HEAD already holds them. Null for a plan without acceptance tests.
    /// </summary>
    public PinnedAcceptance? Pin(LoadedPlan plan)
    {
        if (plan.Document.AcceptanceTests is not { Files.Count: > 0 } section)
        {
            return null;
        }

        var set = store.ReadAcceptance(plan.Id);
        var missing = section.Files.Where(file => set.Find(file.Path) is null).Select(file => file.Path).ToList();
        if (missing.Count > 0)
        {
            throw new PlanRefusedException(
                "acceptance_file_missing",
                $"Plan '{plan.Id}' lists acceptance tests that were never written: {string.Join(", ", missing)}. Nothing was approved. Ask the planner to write them (write_acceptance_file), then read the plan again (mcpplan show {plan.Id}).");
        }

        var files = Listed(section, set).Files;
        var hash = ApprovalHash.Compute(plan.TextSha256, files);
        if (hash != plan.AcceptanceSha256)
        {
            // Read again here: a file edited by hand since the plan was read is not what the person's hash covers.
            throw new PlanRefusedException(
                RefusalCodes.PlanChanged,
                $"Plan '{plan.Id}': its acceptance tests changed while it was being approved (sha256 {(plan.AcceptanceSha256 ?? plan.TextSha256)[..16]} → {hash[..16]}). Nothing was approved. Read them (mcpplan show {plan.Id}) and approve the hash it shows if you agree.");
        }

        var git = repository ?? throw new PlanRefusedException("not_a_repository", "A plan with acceptance tests is approved in a git repository: the approval commits the tests.");
        var commit = git.CommitAcceptance(
            files,
            $"Acceptance tests for plan '{plan.Id}'",
            [new("Plan-Id", plan.Id.Value), new("Plan-Acceptance", hash)]);
        return new PinnedAcceptance(hash, files, commit ?? git.HeadSha);
    }

    /// <summary>The pinned files of an approved plan (the versions the approval covers), empty when it pinned none.</summary>
    public IReadOnlyList<AcceptanceFile> Pinned(LoadedPlan plan)
    {
        if (plan.Record.Approval is not { PinnedFiles.Count: > 0 } approval)
        {
            return [];
        }

        var set = store.ReadAcceptance(plan.Id);
        return [.. approval.PinnedFiles.Select(path => set.Find(path)).OfType<AcceptanceFile>()];
    }

    /// <summary>commit_step never commits a pinned file: only a revision of the plan, approved again, changes one.</summary>
    public static void RequireUnpinned(LoadedPlan plan, IEnumerable<string> paths)
    {
        var pinned = plan.Record.Approval?.PinnedFiles ?? [];
        var touched = paths.Where(path => pinned.Contains(path, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (touched.Count > 0)
        {
            throw new PlanRefusedException(
                "acceptance_file_pinned",
                $"{string.Join(", ", touched)} {(touched.Count == 1 ? "is an acceptance test" : "are acceptance tests")} of '{plan.Id}', pinned by the person's approval; commit_step never changes {(touched.Count == 1 ? "it" : "them")}. Nothing was committed. Restore {(touched.Count == 1 ? "it" : "them")} (git restore {string.Join(' ', touched)}) and commit the step without {(touched.Count == 1 ? "it" : "them")}. If a test is wrong, report a blocker (report_blocker) saying why: the planner revises the plan and the person approves the new test.");
        }
    }

    /// <summary>The review's view: the pinned tests, the last run, and every change made to a pinned file around commit_step.</summary>
    public AcceptanceEvidence? Evidence(LoadedPlan plan, IRepositoryGateway git, IReadOnlyList<CommitFacts> outsideCommitStep, IReadOnlyList<WorkingChange> uncommitted)
    {
        if (plan.Record.Approval is not { PinnedFiles.Count: > 0, AcceptanceSha256: { } hash } approval)
        {
            return null;
        }

        var tampering = new List<string>();
        var pinned = Pinned(plan).ToDictionary(file => file.Path, StringComparer.Ordinal);
        var head = git.HeadSha;
        foreach (var path in approval.PinnedFiles)
        {
            if (!pinned.TryGetValue(path, out var file))
            {
                tampering.Add($"{path}: the pinned copy kept with the plan is gone; the approval no longer holds.");
                continue;
            }

            var committed = head is null ? null : git.ReadCommittedFile(head, path);
            if (committed is null || Convert.ToHexStringLower(SHA256.HashData(committed)) != file.Sha256)
            {
                var changers = outsideCommitStep.Where(commit => commit.Files.Any(changed => changed.Path == path)).Select(commit => $"{commit.Sha[..12]} ('{commit.Subject}')").ToList();
                tampering.Add($"{path} at HEAD is not the pinned version ({(committed is null ? "deleted" : "changed")}{(changers.Count > 0 ? " by " + string.Join(", ", changers) : string.Empty)}, made around commit_step). The server runs the pinned version regardless.");
            }

            if (uncommitted.FirstOrDefault(change => change.Path == path) is { } change)
            {
                tampering.Add($"{path} is {change.State} in the working tree (an edit around commit_step). The server runs the pinned version regardless.");
            }
        }

        return new AcceptanceEvidence(plan.Document.AcceptanceTests?.Command ?? string.Empty, approval.PinnedFiles, hash, approval.AcceptanceCommit, plan.Record.LastAcceptance, tampering);
    }

    /// <summary>
    /// Runs the pinned tests on <paramref name="commit"/> (hand-in, or the merged tree at integration) and refuses when
    /// they fail and the config says so. Null for a plan without pinned tests or without a runner.
    /// </summary>
    public async Task<AcceptanceResult?> RunAsync(LoadedPlan plan, string? commit, string occasion, CancellationToken cancellationToken)
    {
        var pinned = Pinned(plan);
        if (pinned.Count == 0 || runner() is not { } run || plan.Document.AcceptanceTests?.Command is not { } command)
        {
            return null;
        }

        if (commit is null)
        {
            throw new PlanRefusedException("nothing_committed", $"Plan '{plan.Id}' has acceptance tests, which run on a commit; there is none yet. Commit the steps with commit_step.");
        }

        var result = await run.RunAsync(command, TimeSpan.FromSeconds(config.Acceptance.TimeoutSeconds), commit, pinned, cancellationToken);
        if (!result.Passed && config.Acceptance.RefuseHandInOnFailure)
        {
            throw new PlanRefusedException(
                "acceptance_failed",
                $"The plan's acceptance tests (`{command}`) {result.Summary} on a clean checkout of commit {CommitId.Short(commit)} with the pinned test files, so {occasion} was refused and nothing was recorded. "
                + $"Fix the implementation (the tests are pinned: if one is wrong, report_blocker). Last output:\n{result.OutputTail}");
        }

        return result;
    }

    private static AcceptanceSet Listed(AcceptanceSection section, AcceptanceSet set) =>
        set with { Files = [.. section.Files.Select(file => set.Find(file.Path)).OfType<AcceptanceFile>().DistinctBy(file => file.Path)] };

    private static WriteAcceptanceResult Result(LoadedPlan plan, string path, AcceptanceSet set, string sha, bool unchanged)
    {
        var section = plan.Document.AcceptanceTests!;
        var missing = section.Files.Where(file => set.Find(file.Path) is null).Select(file => file.Path).Distinct(StringComparer.Ordinal).ToList();
        var hash = ApprovalHash.Compute(plan.TextSha256, Listed(section, set).Files);
        return new WriteAcceptanceResult(plan.Id.Value, path, set.Revision, sha, hash, missing, unchanged);
    }

    private static void RequireContent(string path, string content)
    {
        var bytes = Encoding.UTF8.GetByteCount(content);
        if (bytes == 0)
        {
            throw new PlanRefusedException("invalid_argument", $"The content of '{path}' is empty. Write the test itself.");
        }

        if (bytes > MaxFileBytes)
        {
            throw new PlanRefusedException("acceptance_too_large", $"'{path}' is {bytes} bytes; an acceptance test file may have {MaxFileBytes}. Split it or keep what defines done.");
        }

        if (content.Contains('\0', StringComparison.Ordinal))
        {
            throw new PlanRefusedException("invalid_argument", $"The content of '{path}' contains a NUL character. Acceptance tests are text files.");
        }
    }
}
