using McpPlanServer.Cli.Verification;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Git;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;

namespace McpPlanServer.Cli.Composition;

/// <summary>The composition root: config, store, repository and workflow for one repository.</summary>
public sealed class PlanServices
{
    public const string ConfigRelativePath = ".claude/mcpplan.json";

    private PlanServices(string repositoryRoot, string plansRootPath, PlanServerConfig config, IPlanStore store, PlanWorkflow workflow)
    {
        RepositoryRoot = repositoryRoot;
        PlansRootPath = plansRootPath;
        Config = config;
        Store = store;
        Workflow = workflow;
    }

    public string RepositoryRoot { get; }

    public PlanServerConfig Config { get; }

    /// <summary>The file store, or the PostgreSQL store when the config's <c>store</c> selects it.</summary>
    public IPlanStore Store { get; }

    /// <summary>Where the file store keeps plans (the main worktree's plans root), whichever store is in use.</summary>
    public string PlansRootPath { get; }

    /// <summary>
    /// What tells servers and boards that plans changed: LISTEN/NOTIFY for PostgreSQL, else the file monitor. On
    /// PostgreSQL a change that alters no plan's text, folder or status (a claim, a step recorded, a commit intent) reaches
    /// only a listener that asks for it (<paramref name="activity"/>: the board, which shows progress and who holds what),
    /// and is sent only while such a listener watches: fifty servers woken by every claim and step of every machine made
    /// each caller wait for that herd.
    /// </summary>
    public IPlanChangeSource ChangeSource(TimeSpan pollInterval, bool watch, bool activity = false) => Store is PostgresPlanStore database
        ? new PostgresChangeListener(database.DataSource, database.Repository, activity)
        : new PlanChangeMonitor(PlansRootPath, pollInterval, watch);

    public PlanWorkflow Workflow { get; }

    /// <summary>
    /// Start-up recovery: the torn journal tail and temp files a killed writer left, then records brought in line with
    /// the folders and git. Returns a line for the log, or null when there was nothing to do.
    /// </summary>
    /// <param name="sweepCheckouts">
    /// False when the caller sweeps the verification checkouts itself, off its start-up path (<see cref="SweepCheckoutsInBackground"/>):
    /// naming the checkouts' folder hashes the repository path, and the first hash loads OpenSSL (several milliseconds).
    /// </param>
    public string? Recover(bool sweepCheckouts = true)
    {
        var store = (Store as FilePlanStore)?.Recover();
        var checkouts = sweepCheckouts ? VerificationCheckout.SweepLeftovers(RepositoryRoot) : 0;
        if (checkouts > 0)
        {
            store = $"{store ?? "recovered"}; {CheckoutsRemoved(checkouts)}";
        }

        if (Store is FilePlanStore && !Directory.Exists(PlansRootPath))
        {
            return store;
        }

        try
        {
            var reconciled = Workflow.Reconcile();
            return reconciled == 0 ? store : $"{store ?? "recovered"}; {reconciled} plan record(s) reconciled";
        }
        catch (Core.Workflow.PlanRefusedException refusal) when (refusal.Code is RefusalCodes.ReadOnly or RefusalCodes.PermissionDenied or RefusalCodes.Busy)
        {
            // Reads still work on a read-only or busy plans root; the next writable start reconciles.
            return store;
        }
    }

    /// <summary>The verification checkouts' sweep of <see cref="Recover"/>, on the thread pool; its line goes to <paramref name="log"/>.</summary>
    public Task SweepCheckoutsInBackground(TextWriter log) => Task.Run(async () =>
    {
        try
        {
            if (VerificationCheckout.SweepLeftovers(RepositoryRoot) is var removed and > 0)
            {
                await log.WriteLineAsync($"mcpplan: {CheckoutsRemoved(removed)}");
            }
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // Left for the next start's sweep.
        }
    });

    private static string CheckoutsRemoved(int count) => $"{count} verification checkout(s) left by a killed process removed";

    public static PlanServices Open(string repositoryRoot, TimeProvider? clock = null)
    {
        // Plans live once per repository, in the main worktree; commits and verification happen in this worktree.
        var storeRoot = SharedStoreRoot.For(repositoryRoot);
        var config = ConfigFile.Load(Path.Combine(storeRoot, ConfigRelativePath));
        var faults = KillingFaultPoints.FromEnvironment();
        var store = PlanStoreOpener.Open(storeRoot, config, Environment.GetEnvironmentVariable, faults);
        var gateway = new GitRepositoryGateway(repositoryRoot, faults);
        var time = clock ?? TimeProvider.System;
        var shell = new ShellVerificationRunner(repositoryRoot, gateway, time);
        var workflow = new PlanWorkflow(store, config, gateway, shell, time, faults)
        {
            Session = ClaimHolder.NewSession(repositoryRoot),
            AcceptanceRunner = new AcceptanceRunner(shell), // issue 20
            Publisher = config.PushRemote is { } remote ? new BranchPublisher(repositoryRoot, remote) : null,
        };
        var plansRootPath = Path.Combine(storeRoot, config.PlansRoot.Replace('/', Path.DirectorySeparatorChar));
        if (store is FilePlanStore)
        {
            // Summaries shared with the repository's other processes (issue 16): a one-shot status or a new server reuses them.
            workflow.Index.Shared = SharedSummaryFile.For(storeRoot, plansRootPath);
        }

        return new PlanServices(repositoryRoot, plansRootPath, config, store, workflow);
    }
}
