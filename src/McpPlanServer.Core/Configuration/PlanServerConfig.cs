namespace McpPlanServer.Core.Configuration;

/// <summary>
/// The person's settings for one repository (<c>.claude/mcpplan.json</c>). Every property has a safe default,
/// so a repository without the file behaves as documented in the README.
/// </summary>
public sealed record PlanServerConfig
{
    public const string DefaultPlansRoot = ".claude/plans";

    /// <summary>Folder of the plans, relative to the repository root.</summary>
    public string PlansRoot { get; init; } = DefaultPlansRoot;

    /// <summary>H2 sections a plan must have (matched case-insensitively, ignoring punctuation and parentheses).</summary>
    public IReadOnlyList<string> RequiredSections { get; init; } = DefaultRequiredSections;

    public DriftPolicy Drift { get; init; } = DriftPolicy.Warn;

    public VerifySettings Verify { get; init; } = new();

    /// <summary>How plans' acceptance tests run (issue 20); the command itself is the plan's, approved by the person.</summary>
    public AcceptanceSettings Acceptance { get; init; } = new();

    public IReadOnlyList<RubricCategory> Rubric { get; init; } = DefaultRubric;

    /// <summary>Weighted total at or above which a review verifies the implementation.</summary>
    public int Threshold { get; init; } = 90;

    /// <summary>Failing review rounds after which the plan goes to the person (<c>needs_human</c>).</summary>
    public int MaxIterations { get; init; } = 3;

    /// <summary>
    /// Offer the client's elicitation form for approvals. Off by default: the server cannot tell a person's answer
    /// from a program's, so a form approval is journaled as the client's word (channel <c>elicitation</c>).
    /// </summary>
    public bool ElicitApproval { get; init; }

    /// <summary>Plans at or above this risk level (or with none stated) need a person's channel to be approved:
    /// the CLI from a terminal, or the board. Null: any channel may approve.</summary>
    public RiskLevel? PersonChannelFromRisk { get; init; }

    /// <summary>Let the implementer run <c>git commit</c> through Bash (the hook denies it by default: use <c>commit_step</c>).</summary>
    public bool AllowGitCommitInBash { get; init; }

    /// <summary>Largest plan text accepted, in bytes.</summary>
    public int MaxPlanBytes { get; init; } = 256 * 1024;

    /// <summary>An implementer's claim on a plan ends after this many minutes without a call from its session.</summary>
    public int ClaimIdleMinutes { get; init; } = 15;

    /// <summary>Plans that list the same file: <c>warn</c> (default) or <c>strict</c> (the second is not claimed while the first is held).</summary>
    public ParallelPolicy Parallel { get; init; }

    /// <summary>
    /// A claim starts the plan's branch <c>plan/&lt;id&gt;</c> at the approval's base commit and gives it a worktree (the
    /// session's own linked worktree, or one under <c>.claude/worktrees/</c>). Off by default: one working tree, one branch.
    /// </summary>
    public bool PlanBranches { get; init; }

    /// <summary>Where plans live: files in the repository (default) or a shared PostgreSQL database.</summary>
    public StoreSettings Store { get; init; } = new();

    /// <summary>The git remote commit_step pushes the plan's branch to (issue 19); null: commits stay local.</summary>
    public string? PushRemote { get; init; }

    public static IReadOnlyList<string> DefaultRequiredSections { get; } =
    [
        "Summary",
        "Implementation Steps",
        "Success Criteria",
    ];

    public static IReadOnlyList<RubricCategory> DefaultRubric { get; } =
    [
        new("architecture", 25),
        new("code_quality", 20),
        new("testing", 25),
        new("performance", 15),
        new("security", 15),
    ];
}
