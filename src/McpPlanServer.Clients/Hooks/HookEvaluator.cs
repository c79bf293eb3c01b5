using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// The decision table of the hook (docs/claude-code.md shows it). Every role: no change to <c>.mcp.json</c>,
/// <c>.claude/settings*.json</c> (also in the home folder), <c>.claude/hooks/</c> or <c>.claude/mcpplan.json</c>.
/// Planner: no file edits at all, only git that reads, no writes into the repository, no package installs.
/// Implementer: nothing in the plans root, no <c>git commit</c> (nor a git alias) unless the config allows it.
/// Observer: nothing that changes anything. Every role: none of the person's decisions, no removing the session's
/// markers, no Bash outside the sandbox; and when the repository cannot be found, no change at all.
/// </summary>
internal sealed class HookEvaluator(Actor role, HookPolicy policy)
{
    private static readonly HashSet<string> FileEditTools = ["Edit", "Write", "MultiEdit", "NotebookEdit"];

    private readonly GuardedPaths _guarded = new(policy);

    public HookDecision Evaluate(HookRequest request)
    {
        if (FileEditTools.Contains(request.ToolName))
        {
            return EvaluateFileEdit(request);
        }

        if (request.ToolName == "Bash")
        {
            var command = HookRequestParser.ReadString(request.ToolInput, "command")
                ?? throw new HookInputException("The Bash tool input has no command string; the hook cannot tell what it would run.");
            if (request.ToolInput["dangerouslyDisableSandbox"] is System.Text.Json.Nodes.JsonValue disable && disable.TryGetValue<bool>(out var disabled) && disabled)
            {
                return HookDecision.Deny(
                    "mcpplan: agent sessions run Bash inside the sandbox; run the command again without dangerouslyDisableSandbox. "
                    + "If it cannot work sandboxed, say what it needs and ask the person to run it in their own terminal.");
            }

            return EvaluateBash(command, request.WorkingDirectory);
        }

        return HookDecision.Allow; // other tools read, search or talk; the normal permission flow handles them
    }

    private HookDecision EvaluateFileEdit(HookRequest request)
    {
        var field = request.ToolName == "NotebookEdit" ? "notebook_path" : "file_path";
        var path = HookRequestParser.ReadString(request.ToolInput, field);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new HookInputException($"The {request.ToolName} tool input has no {field}; the hook cannot tell which file it would change.");
        }

        var target = _guarded.Classify(Path.IsPathRooted(path) ? path : Path.Join(request.WorkingDirectory, path), coversDescendants: false);
        if (target.ProtectedName is not null)
        {
            return Protected(target, request.ToolName);
        }

        if (policy.UnplacedReason is not null)
        {
            return HookDecision.Deny($"{policy.UnplacedReason} ({request.ToolName} {target.Display} is denied until then.)");
        }

        return role switch
        {
            Actor.Planner => HookDecision.Deny(
                $"mcpplan: the planner does not edit files ({request.ToolName} {target.Display}). Write or revise plans with the write_plan tool; "
                + "code changes are the implementer's, made after the person approves the plan."),
            Actor.Implementer when target.PinnedFile is not null => PinnedDenied(target, request.ToolName), // issue 20
            Actor.Implementer when target.InPlansRoot => PlansRootDenied(target, request.ToolName),
            Actor.Implementer => HookDecision.Allow,
            _ => ObserverDenied($"{request.ToolName} {target.Display}"),
        };
    }

    private HookDecision EvaluateBash(string command, string workingDirectory)
    {
        var effects = new BashAnalyzer(policy.HomeDirectory).Analyze(command, workingDirectory);
        foreach (var effect in effects)
        {
            var decision = effect.Kind switch
            {
                BashEffectKind.OwnerDecision => OwnerDecisionDenied(effect),
                BashEffectKind.MarkerRemoval => MarkerRemovalDenied(effect),
                _ when policy.UnplacedReason is not null && !(effect.Kind == BashEffectKind.FileWrite && _guarded.Classify(effect) is { ProtectedName: not null }) =>
                    HookDecision.Deny($"{policy.UnplacedReason} (`{effect.Command}` is denied until then.)"),
                BashEffectKind.FileWrite => EvaluateWrite(effect),
                BashEffectKind.GitMutation or BashEffectKind.GitCommit or BashEffectKind.GitUnidentified => EvaluateGit(effect),
                _ => EvaluatePackageInstall(effect),
            };
            if (decision.IsDenied)
            {
                return decision;
            }
        }

        return HookDecision.Allow;
    }

    private HookDecision EvaluateWrite(BashEffect effect)
    {
        if (effect.LocationUnknown)
        {
            return HookDecision.Deny(
                $"mcpplan: `{effect.Command}` writes to '{effect.TargetText}' relative to a folder the hook cannot name (after `cd $DIR`, `cd -`, `pushd`, "
                + "`popd` or `source`), so it could be a protected file or the plans folder. Write the target as an absolute path, or change folder "
                + "with the folder written out (`cd DIR && …`).");
        }

        var decision = EvaluateKnownWrite(effect, _guarded.Classify(effect));
        return decision.IsDenied && effect.DirectoryUncertain
            ? HookDecision.Deny(decision.Reason + " The hook judged the target in every folder an earlier `cd` may leave the shell in (a `cd` can fail, "
                + "or run in a subshell or pipeline); join the commands with `&&` after the `cd`, or use an absolute path.")
            : decision;
    }

    private HookDecision EvaluateKnownWrite(BashEffect effect, TargetClass target)
    {
        if (target.ProtectedName is not null)
        {
            return target.IsKnown
                ? Protected(target, effect.Command)
                : HookDecision.Deny(
                    $"mcpplan: `{effect.Command}` writes to '{target.Display}', which the hook cannot evaluate and which names a protected place "
                    + $"(.mcp.json, .claude/, {_guarded.PlansRootDisplay}). Write the path out literally if it is not one of them.");
        }

        return role switch
        {
            Actor.Planner when !target.IsKnown || target.InRepository => HookDecision.Deny(
                $"mcpplan: the planner does not write into the repository (`{effect.Command}` to {target.Display}"
                + (target.IsKnown ? "" : ", a path the hook cannot evaluate") + "). Write or revise plans with the write_plan tool; "
                + "leave code changes to the implementer. Scratch files outside the repository (for example under /tmp) are fine."),
            Actor.Implementer when target.PinnedFile is not null => PinnedDenied(target, $"`{effect.Command}`"), // issue 20
            Actor.Implementer when target.InPlansRoot => PlansRootDenied(target, effect.Command),
            Actor.Observer => ObserverDenied($"`{effect.Command}` to {target.Display}"),
            _ => HookDecision.Allow,
        };
    }

    private HookDecision EvaluateGit(BashEffect effect) => role switch
    {
        Actor.Implementer when effect.GitFolders.FirstOrDefault(_guarded.IsMainWorktreeOfLinkedSession) is { } main => HookDecision.Deny(
            $"mcpplan: `{effect.Command}` in {main} would change the main worktree, which holds the plans folder ({_guarded.PlansRootDisplay}) "
            + "and the person's branch; this session works in its own linked worktree. Run git here (without -C, --work-tree or --git-dir "
            + "pointing there); the person integrates the plan's branch with `mcpplan integrate ID`."),
        Actor.Planner => HookDecision.Deny(
            $"mcpplan: the planner runs only git commands that read (`{effect.Command}` is not one). Inspect with git status, log, diff, show, "
            + "blame, grep, ls-files, rev-parse, cat-file; commits are the implementer's, made with commit_step after the person approves the plan."),
        Actor.Implementer when effect.Kind == BashEffectKind.GitCommit && !policy.AllowGitCommitInBash => HookDecision.Deny(
            "mcpplan: commit with the commit_step tool, which records the plan and step of each commit (Plan-Id and Plan-Step trailers); "
            + "`git commit` through Bash is off for the implementer. The person can allow it with \"allowGitCommitInBash\": true in .claude/mcpplan.json."),
        Actor.Implementer when effect.Kind == BashEffectKind.GitUnidentified && !policy.AllowGitCommitInBash => HookDecision.Deny(
            $"mcpplan: `{effect.Command}` could be a commit under another name, and `git commit` through Bash is off for the implementer. "
            + "Write the git subcommand out (no aliases, no subcommand from a variable or stdin); commit with the commit_step tool."),
        Actor.Observer => ObserverDenied($"`{effect.Command}`"),
        _ => HookDecision.Allow,
    };

    private static HookDecision OwnerDecisionDenied(BashEffect effect) => HookDecision.Deny(
        $"mcpplan: `{effect.Command}` is the person's decision, and no agent session runs it, however it is spelled. "
        + "Ask the person to decide in their own terminal (`mcpplan approve ID`, `mcpplan complete ID` …) or on the board; "
        + "to ask for an approval, use the request_approval tool.");

    private static HookDecision MarkerRemovalDenied(BashEffect effect) => HookDecision.Deny(
        $"mcpplan: `{effect.Command}` would remove or overwrite a variable that marks this agent session ({string.Join(", ", Core.Security.AgentSessionMarkers.VariableNames)}); "
        + "agent sessions keep them. Run the command without changing them.");

    private HookDecision EvaluatePackageInstall(BashEffect effect) => role switch
    {
        Actor.Planner => HookDecision.Deny(
            $"mcpplan: the planner does not install or remove packages (`{effect.Command}`). Put the dependency in the plan; the implementer adds it."),
        Actor.Observer => ObserverDenied($"`{effect.Command}`"),
        _ => HookDecision.Allow,
    };

    private static HookDecision Protected(TargetClass target, string tool) => HookDecision.Deny(
        $"mcpplan: {target.Display} is protected ({target.ProtectedName}: the MCP server, hook and mcpplan settings), and no agent session may change it "
        + $"({tool}). Ask the person to change it by hand, or to re-run `mcpplan init`.");

    private static HookDecision PinnedDenied(TargetClass target, string tool) => HookDecision.Deny(
        $"mcpplan: {target.PinnedFile} is an acceptance test pinned by the person's approval; the implementer does not change it ({tool} {target.Display}). "
        + "If the test is wrong, report a blocker (report_blocker) saying why: the planner revises the plan and the person approves the new test.");

    private HookDecision PlansRootDenied(TargetClass target, string tool) => HookDecision.Deny(
        $"mcpplan: {target.Display} is in the plans folder ({_guarded.PlansRootDisplay}), which the implementer does not change ({tool}). "
        + "Plans are written by the planner through write_plan and moved only by the server or the person; "
        + "if the plan is wrong or blocks you, say so with report_blocker.");

    private static HookDecision ObserverDenied(string what) => HookDecision.Deny(
        $"mcpplan: this session has no role (observer) and only reads; {what} would change something. "
        + "Start the session as `MCPPLAN_ROLE=planner claude` or `MCPPLAN_ROLE=implementer claude` to work on plans or code.");
}
