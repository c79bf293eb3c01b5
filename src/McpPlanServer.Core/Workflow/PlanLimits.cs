namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Every size and range a caller's input is held to, in one place: the tools' schemas and argument checks, the
/// workflow's own checks and the CLI all refer to these, so a limit cannot differ between the schema and the check.
/// </summary>
public static class PlanLimits
{
    /// <summary>A plan id argument's length before <see cref="Plans.PlanId"/>'s own rule (64) explains what an id is.</summary>
    public const int MaxPlanIdArgumentLength = 100;

    /// <summary>Free text written by a person or an agent: answers, questions, review summaries, owner notes, reasons.</summary>
    public const int MaxNoteLength = 20_000;

    public const int MaxStep = 10_000;

    /// <summary>How often a claim written without the lock is tried again when another session changed the plan's claim between its read and its write (it was claimed and released meanwhile, or, for a claim of the next ready plan, that plan was taken and the next one is tried).</summary>
    public const int ClaimWriteAttempts = 3;

    /// <summary>The same for a claim of the next ready plan: every lost write means another session took a plan, so the
    /// tries go on while others make progress (a plan per try), up to this bound.</summary>
    public const int ClaimNextReadyAttempts = 32;

    public const int MaxCommitMessageLength = 10_000;

    public const int MaxDeviationReasonLength = 5_000;

    public const int MaxPathsPerCommit = 1_000;

    public const int MaxPathLength = 1_024;

    public const int MaxFindingIdsPerCommit = 200;

    public const int MaxFindingIdLength = 40;

    public const int MaxBlockerId = 100_000;

    /// <summary>A full or abbreviated commit id (SHA-256 ids are 64 hex digits).</summary>
    public const int MaxCommitIdLength = 64;

    public const int MaxFindingsPerReview = 200;

    public const int MaxFindingLocationLength = 500;

    public const int MaxFindingMessageLength = 5_000;

    public const int MaxCriteriaAnswersPerReview = 500;

    /// <summary>A checklist item id such as C12 or S3.</summary>
    public const int MaxChecklistItemLength = 20;

    public const int MaxEvidenceLength = 2_000;

    public const int MaxScore = 100;

    public const int MinDiffPageBytes = 1_000;

    public const int MaxDiffPageBytes = 1_000_000;

    public const int DefaultDiffPageBytes = 20_000;

    public const int DefaultListLimit = 100;

    /// <summary>
    /// How long a listing trusts the kept planned files of active plans that are not on its page while the folder listing is
    /// unchanged (see <see cref="PlanOverlaps"/>): a text edited in place, without a rename, changes no folder, so its
    /// overlap shows on other plans' pages at the first listing after this. Decisions never trust them.
    /// </summary>
    public static readonly TimeSpan OverlapRecheck = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a process saves the summaries it read to the shared summary file (and takes the others' anew): each save
    /// rewrites the whole file, so a listing that reads a new page of 100 on every call must not pay it every time.
    /// </summary>
    public static readonly TimeSpan SharedSummariesSaveInterval = TimeSpan.FromSeconds(2);

    public const int MaxListLimit = 1_000;

    /// <summary>
    /// How many parsed plan texts a process keeps for reads of the same text (<see cref="ParsedPlanCache"/>): the plans a
    /// session works on, not every plan, so memory stays flat with 10,000 plans.
    /// </summary>
    public const int ParsedPlansKept = 16;

    /// <summary>
    /// Up to how many plans written since the last listing the PostgreSQL store reads with their records (the plans a
    /// listing summarizes again); more, and none are (after an import of 10,000 plans the records stay in the database,
    /// not in every server's memory, and the page's summaries read their own).
    /// </summary>
    public const int ListedRecordsRead = 100;

    /// <summary>
    /// The largest git tree object kept parsed in a repository handle's object cache (libgit2 keeps none over 4 KB by
    /// default, so every lookup by path in a large folder inflated and parsed the folder's whole tree again: 800 KB for
    /// 20,000 files). Sized for folders of about 100,000 files; a larger tree is parsed per lookup, as before.
    /// </summary>
    public const long GitCachedTreeMaxBytes = 4L * 1024 * 1024;

    /// <summary>
    /// The memory libgit2's object caches may hold in all, every open repository handle of the process together (libgit2's
    /// default is 256 MB, reached only by objects up to 4 KB before the tree limit above was raised): beyond it, libgit2
    /// evicts entries. A handle lives for one git call, so this bounds a single call's walk over many large trees.
    /// </summary>
    public const long GitObjectCacheMaxBytes = 16L * 1024 * 1024;

    /// <summary>How many (tree, path) answers a process keeps (see <c>TreePathMemo</c> in the git adapter): about 100 bytes each.</summary>
    public const int GitTreePathMemoEntries = 8_192;

    public const int DefaultApprovalWaitSeconds = 600;

    public const int MaxApprovalWaitSeconds = 3_600;
}
