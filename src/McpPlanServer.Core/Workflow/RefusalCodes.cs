namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Every refusal code, the stable machine-readable reason a <see cref="PlanRefusedException"/> carries. Clients, the
/// journal and the tests match these values, so a value never changes; code refers to the names, never to the text.
/// </summary>
public static class RefusalCodes
{
    public const string AgentSession = "agent_session";

    public const string AlreadyClaiming = "already_claiming";

    public const string AlreadyIntegrated = "already_integrated";

    public const string AmbiguousActivePlan = "ambiguous_active_plan";

    public const string AmbiguousCommit = "ambiguous_commit";

    public const string ApprovalDeclined = "approval_declined";

    public const string ApprovalVoid = "approval_void";

    public const string ApproverUnknown = "approver_unknown";

    public const string BareRepository = "bare_repository";

    public const string BlockerAnswered = "blocker_answered";

    public const string BlockerNotFound = "blocker_not_found";

    public const string Busy = "busy";

    /// <summary>The plan changed (another decision, a new review, its text) between the start of an integration and the branch move.</summary>
    public const string ChangedWhileIntegrating = "changed_while_integrating";

    /// <summary>A claim changed in the store between the read it was decided on and its conditional write.</summary>
    public const string ClaimConflict = "claim_conflict";

    public const string ClaimLost = "claim_lost";

    public const string ClaimsCorrupt = "claims_corrupt";

    public const string CommitMissing = "commit_missing";

    public const string CommitNotFound = "commit_not_found";

    public const string CommittedNotRecorded = "committed_not_recorded";

    public const string ConversionFailed = "conversion_failed";

    public const string DetachedHead = "detached_head";

    public const string DiskFull = "disk_full";

    public const string DriftBlocked = "drift_blocked";

    public const string DuplicatePlan = "duplicate_plan";

    public const string EvidenceRequired = "evidence_required";

    public const string ExternalFilter = "external_filter";

    public const string FindingsRequired = "findings_required";

    public const string FolderMissing = "folder_missing";

    public const string GitFailed = "git_failed";

    public const string GitUnreadable = "git_unreadable";

    public const string HeadMoved = "head_moved";

    public const string InvalidAnswer = "invalid_answer";

    public const string InvalidArgument = "invalid_argument";

    public const string InvalidCommit = "invalid_commit";

    public const string InvalidConfig = "invalid_config";

    public const string InvalidPlanId = "invalid_plan_id";

    public const string InvalidReview = "invalid_review";

    public const string InvalidScores = "invalid_scores";

    public const string InvalidText = "invalid_text";

    public const string InvalidUtf8 = "invalid_utf8";

    public const string IoError = "io_error";

    public const string JournalCorrupt = "journal_corrupt";

    public const string LintErrors = "lint_errors";

    public const string MergeConflict = "merge_conflict";

    public const string NoActivePlan = "no_active_plan";

    public const string NoReadyPlan = "no_ready_plan";

    public const string NoTargetBranch = "no_target_branch";

    public const string NotARepository = "not_a_repository";

    public const string NotApproved = "not_approved";

    public const string NotClaimed = "not_claimed";

    public const string NotReady = "not_ready";

    public const string NotVerified = "not_verified";

    public const string NothingToCommit = "nothing_to_commit";

    public const string NothingToRepair = "nothing_to_repair";

    public const string OpenFindings = "open_findings";

    public const string OperationInProgress = "operation_in_progress";

    public const string OutsideFiles = "outside_files";

    public const string PathInGitDir = "path_in_git_dir";

    public const string PathInPlansRoot = "path_in_plans_root";

    public const string PathNotFound = "path_not_found";

    public const string PathOutsideRepository = "path_outside_repository";

    public const string PathProtected = "path_protected";

    public const string PathThroughSymlink = "path_through_symlink";

    public const string PermissionDenied = "permission_denied";

    public const string PersonChannelRequired = "person_channel_required";

    public const string PlanChanged = "plan_changed";

    public const string PlanClaimed = "plan_claimed";

    public const string PlanExists = "plan_exists";

    public const string PlanMoved = "plan_moved";

    public const string PlanNotFound = "plan_not_found";

    public const string PlanTooDeeplyNested = "plan_too_deeply_nested";

    public const string PlanTooLarge = "plan_too_large";

    public const string PushRejected = "push_rejected";

    public const string ReadOnly = "read_only";

    public const string RecordCorrupt = "record_corrupt";

    public const string RepositoryBusy = "repository_busy";

    public const string RevisionRequired = "revision_required";

    public const string ShaRequired = "sha_required";

    public const string StaleRevision = "stale_revision";

    public const string StepDone = "step_done";

    public const string StepOutOfOrder = "step_out_of_order";

    public const string StepsNotDone = "steps_not_done";

    public const string SymlinkLoop = "symlink_loop";

    public const string SymlinkRefused = "symlink_refused";

    public const string Tampered = "tampered";

    public const string TargetMoved = "target_moved";

    public const string UnansweredCriteria = "unanswered_criteria";

    public const string UncommittedChanges = "uncommitted_changes";

    public const string UnknownBranch = "unknown_branch";

    public const string UnknownChecklistItem = "unknown_checklist_item";

    public const string UnknownCommit = "unknown_commit";

    public const string UnknownFinding = "unknown_finding";

    public const string UnknownStep = "unknown_step";

    public const string UnsafeTreeEntry = "unsafe_tree_entry";

    public const string VerdictStale = "verdict_stale";

    public const string VerificationFailed = "verification_failed";

    public const string VerificationUnavailable = "verification_unavailable";

    public const string WrongRole = "wrong_role";

    public const string WrongState = "wrong_state";

    public const string WrongBranch = "wrong_branch";

    public const string WorktreeDirty = "worktree_dirty";

    public const string WorktreeFailed = "worktree_failed";

    public const string PlansOverlap = "plans_overlap";
}
