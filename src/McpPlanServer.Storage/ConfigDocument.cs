using McpPlanServer.Core.Configuration;

namespace McpPlanServer.Storage;

/// <summary>
/// The config file's JSON shape. Every setting is optional (null = the documented default), which a serializer can
/// only express with settable nullable properties; <see cref="ToConfig"/> applies the defaults in one place.
/// </summary>
internal sealed class ConfigDocument
{
    public string? PlansRoot { get; set; }

    public List<string>? RequiredSections { get; set; }

    public DriftPolicy? Drift { get; set; }

    public VerifyDocument? Verify { get; set; }

    public AcceptanceDocument? Acceptance { get; set; }

    public List<RubricCategory>? Rubric { get; set; }

    public int? Threshold { get; set; }

    public int? MaxIterations { get; set; }

    public bool? ElicitApproval { get; set; }

    public RiskLevel? PersonChannelFromRisk { get; set; }

    public bool? AllowGitCommitInBash { get; set; }

    public int? MaxPlanBytes { get; set; }

    public int? ClaimIdleMinutes { get; set; }

    public ParallelPolicy? Parallel { get; set; }

    public bool? PlanBranches { get; set; }

    public StoreDocument? Store { get; set; }
    public string? PushRemote { get; set; }

    public PlanServerConfig ToConfig()
    {
        var defaults = new PlanServerConfig();
        var verifyDefaults = new VerifySettings();
        return new PlanServerConfig
        {
            PlansRoot = PlansRoot ?? defaults.PlansRoot,
            RequiredSections = RequiredSections ?? defaults.RequiredSections,
            Drift = Drift ?? defaults.Drift,
            Verify = new VerifySettings
            {
                Command = Verify?.Command ?? verifyDefaults.Command,
                TimeoutSeconds = Verify?.TimeoutSeconds ?? verifyDefaults.TimeoutSeconds,
                RefuseHandInOnFailure = Verify?.RefuseHandInOnFailure ?? verifyDefaults.RefuseHandInOnFailure,
            },
            Acceptance = new AcceptanceSettings
            {
                TimeoutSeconds = Acceptance?.TimeoutSeconds ?? defaults.Acceptance.TimeoutSeconds,
                RefuseHandInOnFailure = Acceptance?.RefuseHandInOnFailure ?? defaults.Acceptance.RefuseHandInOnFailure,
            },
            Rubric = Rubric ?? defaults.Rubric,
            Threshold = Threshold ?? defaults.Threshold,
            MaxIterations = MaxIterations ?? defaults.MaxIterations,
            ElicitApproval = ElicitApproval ?? defaults.ElicitApproval,
            PersonChannelFromRisk = PersonChannelFromRisk ?? defaults.PersonChannelFromRisk,
            AllowGitCommitInBash = AllowGitCommitInBash ?? defaults.AllowGitCommitInBash,
            MaxPlanBytes = MaxPlanBytes ?? defaults.MaxPlanBytes,
            ClaimIdleMinutes = ClaimIdleMinutes ?? defaults.ClaimIdleMinutes,
            Parallel = Parallel ?? defaults.Parallel,
            PlanBranches = PlanBranches ?? defaults.PlanBranches,
            Store = new StoreSettings { Kind = Store?.Kind ?? StoreKind.File, Connection = Store?.Connection, Repository = Store?.Repository },
            PushRemote = PushRemote ?? defaults.PushRemote,
        };
    }

    public static ConfigDocument From(PlanServerConfig config) => new()
    {
        PlansRoot = config.PlansRoot,
        RequiredSections = [.. config.RequiredSections],
        Drift = config.Drift,
        Verify = new VerifyDocument { Command = config.Verify.Command, TimeoutSeconds = config.Verify.TimeoutSeconds, RefuseHandInOnFailure = config.Verify.RefuseHandInOnFailure },
        Acceptance = new AcceptanceDocument { TimeoutSeconds = config.Acceptance.TimeoutSeconds, RefuseHandInOnFailure = config.Acceptance.RefuseHandInOnFailure },
        Rubric = [.. config.Rubric],
        Threshold = config.Threshold,
        MaxIterations = config.MaxIterations,
        ElicitApproval = config.ElicitApproval,
        PersonChannelFromRisk = config.PersonChannelFromRisk,
        AllowGitCommitInBash = config.AllowGitCommitInBash,
        MaxPlanBytes = config.MaxPlanBytes,
        ClaimIdleMinutes = config.ClaimIdleMinutes,
        Parallel = config.Parallel,
        PlanBranches = config.PlanBranches,
        Store = config.Store.Kind == StoreKind.File ? null : new StoreDocument { Kind = config.Store.Kind, Connection = config.Store.Connection, Repository = config.Store.Repository },
        PushRemote = config.PushRemote,
    };
}
