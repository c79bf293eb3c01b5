using System.Security.Cryptography;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Storage.Postgres;

namespace McpPlanServer.Cli.Commands;

/// <summary>
/// <c>mcpplan init --store postgres://…</c> switches a repository to the shared database (its file plans imported),
/// <c>mcpplan store import</c> / <c>store export</c> move a repository's plans between the files and the database, each
/// checked afterwards by comparing both sides. A password is used for the one call, never written to the config.
/// </summary>
public static class StoreCommand
{
    public static int Run(string direction, string? repo, TextWriter output)
    {
        var root = SharedStoreRoot.For(RepositoryLocator.Find(repo));
        var config = ConfigFile.Load(ConfigPath(root));
        if (config.Store.Kind != StoreKind.Postgres)
        {
            throw new UsageException($"The config {PlanServices.ConfigRelativePath} selects the file store; `mcpplan init --store postgres://user@host/database` switches it to PostgreSQL (and imports the plans).");
        }

        using var database = PostgresPlanStore.Open(config, Environment.GetEnvironmentVariable);
        var files = new FilePlanStore(root, config);
        switch (direction)
        {
            case "import":
                output.WriteLine($"Imported {StoreTransfer.Import(files, database)} plan(s) from {files.PlansRoot} into repository '{database.Repository}' of the database.");
                break;
            case "export":
                output.WriteLine($"Exported {StoreTransfer.Export(database, files)} plan(s) of repository '{database.Repository}' into {files.PlansRoot}. To work from the files again, set store.kind to \"file\" in {PlanServices.ConfigRelativePath}.");
                break;
            default:
                throw new UsageException("mcpplan store takes `import` (files to database) or `export` (database to files).");
        }

        RequireSame(files, database, output);
        return CliApplication.Done;
    }

    /// <summary>Points the repository's config at the database, importing the file plans there first (all or nothing).</summary>
    public static void Switch(string repositoryRoot, string connection, string? repositoryId, TextWriter output)
    {
        var root = SharedStoreRoot.For(repositoryRoot);
        var config = ConfigFile.Load(ConfigPath(root));
        var id = repositoryId ?? config.Store.Repository ?? NewRepositoryId(root);
        var switched = config with { Store = new StoreSettings { Kind = StoreKind.Postgres, Connection = PostgresConnection.WithoutPassword(connection), Repository = id } };
        if (StoreSettingsCheck.Problem(switched.Store) is { } problem)
        {
            throw new UsageException($"--store: {problem}.");
        }

        // The connection as given (it may carry the password) is used for this call only.
        using var database = PostgresPlanStore.Open(switched with { Store = switched.Store with { Connection = connection } }, _ => null);
        var files = new FilePlanStore(root, config);
        if (files.ListPlans().Count > 0 || File.Exists(files.JournalPath))
        {
            output.WriteLine($"Imported {StoreTransfer.Import(files, database)} plan(s) from {files.PlansRoot} into the database.");
            RequireSame(files, database, output);
        }

        ConfigFile.Save(ConfigPath(root), switched);
        output.WriteLine($"Plans of this repository now live in PostgreSQL as repository '{id}' ({PlanServices.ConfigRelativePath}: store).");
        if (StoreSettingsCheck.HasPassword(connection))
        {
            output.WriteLine($"The password was used once and not written. Give it to every server through {StoreSettings.ConnectionVariable} (the whole connection string), PGPASSWORD or ~/.pgpass.");
        }
    }

    private static void RequireSame(FilePlanStore files, PostgresPlanStore database, TextWriter output)
    {
        var differences = StoreTransfer.Compare(files, database);
        if (differences.Count > 0)
        {
            throw new PlanRefusedException("transfer_mismatch", $"After the transfer the files and the database differ: {string.Join("; ", differences)}. Report this; both sides are kept as they are.");
        }

        output.WriteLine("Checked: both sides hold the same plans, records, reviews, journal and claims, and the tamper check finds the same on both.");
    }

    private static string ConfigPath(string root) => Path.Combine(root, PlanServices.ConfigRelativePath);

    private static string NewRepositoryId(string root)
    {
        var name = new string([.. Path.GetFileName(Path.TrimEndingDirectorySeparator(root)).Select(character => char.IsAsciiLetterOrDigit(character) ? character : '-')]).Trim('-');
        return $"{(name.Length == 0 ? "repo" : name[..Math.Min(name.Length, 80)])}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
