using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// <c>mcpplan init [--repo DIR] [--share] [--dry-run] [--allow-machine-path]</c>: sets a repository up for the
/// planner/implementer workflow — plans folders, config, <c>.mcp.json</c>, the Claude Code hook and sandbox rules,
/// a settings file per role, <c>.gitignore</c> and a <c>CLAUDE.md</c> section. Idempotent: it merges, keeps what is
/// there, and a second run changes nothing. It refuses to write a path that exists only on this machine into the
/// shared files unless the person allows it.
/// </summary>
public static class InitCommand
{
    public static int Run(InitOptions options, TextWriter stdout, TextWriter stderr)
    {
        var repoRoot = Path.GetFullPath(options.RepoRoot);
        try
        {
            var launch = options.ServerCommand ?? ServerLaunchCommand.Detect(repoRoot);
            if (launch.IsMachineSpecific && !options.AllowMachinePath)
            {
                throw new InitRefusedException(
                    $".mcp.json and the hook in .claude/settings.json are shared through git, but this mcpplan is neither a local tool of the repository "
                    + $"nor on PATH, so they would name {launch.Invocation}, which a teammate's clone does not have (their server would not start and the hook "
                    + "would block every call). Install it as a local tool (dotnet new tool-manifest; dotnet tool install McpPlanServer) or on PATH "
                    + "(docs/install.md), or pass --allow-machine-path for a repository used only on this machine.");
            }

            if (launch.IsMachineSpecific)
            {
                stderr.WriteLine($"warning: .mcp.json and the hook name {launch.Invocation}, a path of this machine (--allow-machine-path); on another machine the server will not start and the hook will block every call until mcpplan init runs there.");
            }

            var clients = options.Clients ?? InitClients.Default;
            var changes = new InitPlanner(repoRoot, options.Share, launch, clients).Plan();
            stdout.WriteLine(options.DryRun ? $"mcpplan init --dry-run in {repoRoot} (nothing is written):" : $"mcpplan init in {repoRoot}:");
            foreach (var change in changes)
            {
                if (!options.DryRun)
                {
                    Apply(repoRoot, change);
                }

                stdout.WriteLine("  " + change.Describe());
            }

            if (changes.All(change => change.Kind == InitChangeKind.Unchanged))
            {
                stdout.WriteLine("Everything is already set up; nothing changed.");
            }

            if (!Directory.Exists(Path.Join(repoRoot, ".git")) && !File.Exists(Path.Join(repoRoot, ".git")))
            {
                stderr.WriteLine($"warning: {repoRoot} is not the root of a git repository (no .git); run `git init` there, since the hook and commit_step find the repository by it.");
            }

            var files = changes.Where(change => !change.IsFolder).Select(change => change.RelativePath).ToList();
            if (!options.DryRun)
            {
                CommitOrAdvise(repoRoot, files, options.Commit, stdout, stderr);
            }

            PrintNextSteps(stdout, repoRoot, options.DryRun, clients, launch);
            return 0;
        }
        catch (InitRefusedException exception)
        {
            stderr.WriteLine($"mcpplan init: {exception.Message} Nothing was written.");
            return 1;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"mcpplan init: could not write in {repoRoot} ({exception.Message}). Check the permissions and free space, then run it again; it only adds what is missing.");
            return 1;
        }
    }

    private static void Apply(string repoRoot, InitChange change)
    {
        var full = Path.Join(repoRoot, change.RelativePath.TrimEnd('/'));
        if (change.Kind == InitChangeKind.Unchanged)
        {
            return;
        }

        if (change.IsFolder)
        {
            Directory.CreateDirectory(full);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            Storage.AtomicFile.Write(full, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(change.NewContent!));
        }
    }

    /// <summary>
    /// commit_step never commits configuration or client settings, so the set-up reaches the repository only through the
    /// person: with --commit, exactly these files in one commit (other staged changes stay staged); otherwise the command.
    /// </summary>
    private static void CommitOrAdvise(string repoRoot, IReadOnlyList<string> files, bool commit, TextWriter stdout, TextWriter stderr)
    {
        var plansRoot = Core.Configuration.PlanServerConfig.DefaultPlansRoot;
        var committable = files.Where(file => !Core.Paths.RepoRelativePath.IsUnder(file, plansRoot)).ToList();
        stdout.WriteLine();
        if (!commit)
        {
            stdout.WriteLine("Commit the set-up so every clone and worktree has it (commit_step never commits these files):");
            stdout.WriteLine($"  git add {string.Join(' ', committable)} && git commit -m \"Set up mcpplan\"");
            stdout.WriteLine("or run `mcpplan init --commit`, which commits exactly these files.");
            return;
        }

        try
        {
            var gateway = new Git.GitRepositoryGateway(repoRoot);
            var committed = gateway.Commit(gateway.Prepare(new Core.Evidence.StepCommitRequest(committable, plansRoot, "Set up mcpplan (mcpplan init)", [])));
            stdout.WriteLine($"Committed the set-up as {committed.Sha[..12]}: {string.Join(", ", committed.Files.Select(file => file.Path))}.");
        }
        catch (Core.Workflow.PlanRefusedException refusal) when (refusal.Code == RefusalCodes.NothingToCommit)
        {
            stdout.WriteLine("The set-up is already committed; nothing to commit.");
        }
        catch (Core.Workflow.PlanRefusedException refusal)
        {
            stderr.WriteLine($"mcpplan init: the set-up is written but not committed ({refusal.Code}): {refusal.Message}");
        }
    }

    private static void PrintNextSteps(TextWriter stdout, string repoRoot, bool dryRun, IReadOnlyList<string> clients, ServerLaunchCommand launch)
    {
        stdout.WriteLine();
        if (!dryRun && clients.Contains(InitClients.Claude))
        {
            stdout.WriteLine("On this machine (`mcpplan hook --status` says it again):");
            foreach (var line in EnforcementLayers.Describe(repoRoot, Environment.GetEnvironmentVariable("PATH")))
            {
                stdout.WriteLine("  " + line);
            }

            stdout.WriteLine();
        }

        foreach (var line in ClientNextSteps.Describe(clients, launch))
        {
            stdout.WriteLine(line);
        }
    }
}
