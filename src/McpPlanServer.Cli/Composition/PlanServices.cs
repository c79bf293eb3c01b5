using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;

namespace McpPlanServer.Cli.Composition;

/// <summary>The composition root: config, store, repository and workflow for one repository.</summary>
public sealed class PlanServices
{
    public const string ConfigRelativePath = ".claude/mcpplan.json";

    private PlanServices(string repositoryRoot, PlanServerConfig config, FilePlanStore store, PlanWorkflow workflow)
    {
        RepositoryRoot = repositoryRoot;
        Config = config;
        Store = store;
        Workflow = workflow;
    }

    public string RepositoryRoot { get; }

    public PlanServerConfig Config { get; }

    public FilePlanStore Store { get; }

    public PlanWorkflow Workflow { get; }

    /// <summary>
    /// Start-up recovery: the torn journal tail and temp files a killed writer left, then records brought in line with
    /// the folders and git. Returns a line for the log, or null when there was nothing to do.
    /// </summary>
    public string? Recover()
    {
        var store = Store.Recover();
        var checkouts = VerificationCheckout.SweepLeftovers(RepositoryRoot);
        if (checkouts > 0)
        {
            store = $"{store ?? "recovered"}; {checkouts} verification checkout(s) left by a killed process removed";
        }

        if (!Directory.Exists(Store.RootPath))
        {
            return store;
        }

        try
        {
            var reconciled = Workflow.Reconcile();
            return reconciled == 0 ? store : $"{store ?? "recovered"}; {reconciled} plan record(s) reconciled";
        }
        catch (Core.Workflow.PlanRefusedException refusal) when (refusal.Code is "read_only" or "permission_denied" or "busy")
        {
            // Reads still work on a read-only or busy plans root; the next writable start reconciles.
            return store;
        }
    }

    public static PlanServices Open(string repositoryRoot, TimeProvider? clock = null)
    {
        // Plans live once per repository, in the main worktree; commits and verification happen in this worktree.
        var storeRoot = SharedStoreRoot.For(repositoryRoot);
        var config = ConfigFile.Load(Path.Combine(storeRoot, ConfigRelativePath));
        var store = new FilePlanStore(storeRoot, config);
        var gateway = new GitRepositoryGateway(repositoryRoot);
        var time = clock ?? TimeProvider.System;
        var workflow = new PlanWorkflow(store, config, gateway, new ShellVerificationRunner(repositoryRoot, gateway, time), time)
        {
            Session = ClaimHolder.NewSession(repositoryRoot),
            Publisher = config.PushRemote is { } remote ? new BranchPublisher(repositoryRoot, remote) : null,
        };
        return new PlanServices(repositoryRoot, config, store, workflow);
    }
}
