using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Cli.Hooks;

/// <summary>
/// The decision table of the hook (docs/claude-code.md shows it). Every role: no change to <c>.mcp.json</c>,
/// <c>.claude/settings*.json</c> (also in the home folder), <c>.claude/hooks/</c> or <c>.claude/mcpplan.json</c>.
/// Planner: no file edits at all, no git changes, no writes into the repository, no package installs.
/// Implementer: nothing in the plans root, no <c>git commit</c> unless the config allows it.
/// Observer: nothing that changes anything.
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

        return role switch
        {
            Actor.Planner => HookDecision.Deny(
                $"mcpplan: the planner does not edit files ({request.ToolName} {target.Display}). Write or revise plans with the write_plan tool; "
                + "code changes are the implementer's, made after the person approves the plan."),
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
                BashEffectKind.FileWrite => EvaluateWrite(effect),
                BashEffectKind.GitMutation => EvaluateGit(effect),
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
        var target = effect.TargetPath is null
            ? _guarded.ClassifyUnknown(effect.TargetText ?? "(unknown)")
            : _guarded.Classify(effect.TargetPath, effect.CoversDescendants);
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
            Actor.Implementer when target.InPlansRoot => PlansRootDenied(target, effect.Command),
            Actor.Observer => ObserverDenied($"`{effect.Command}` to {target.Display}"),
            _ => HookDecision.Allow,
        };
    }

    private HookDecision EvaluateGit(BashEffect effect) => role switch
    {
        Actor.Planner => HookDecision.Deny(
            $"mcpplan: the planner does not change git state (`{effect.Command}`). Inspect with git log/diff/show/status; "
            + "commits are the implementer's, made with commit_step after the person approves the plan."),
        Actor.Implementer when effect.Command == "git commit" && !policy.AllowGitCommitInBash => HookDecision.Deny(
            "mcpplan: commit with the commit_step tool, which records the plan and step of each commit (Plan-Id and Plan-Step trailers); "
            + "`git commit` through Bash is off for the implementer. The person can allow it with \"allowGitCommitInBash\": true in .claude/mcpplan.json."),
        Actor.Observer => ObserverDenied($"`{effect.Command}`"),
        _ => HookDecision.Allow,
    };

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

    private HookDecision PlansRootDenied(TargetClass target, string tool) => HookDecision.Deny(
        $"mcpplan: {target.Display} is in the plans folder ({_guarded.PlansRootDisplay}), which the implementer does not change ({tool}). "
        + "Plans are written by the planner through write_plan and moved only by the server or the person; "
        + "if the plan is wrong or blocks you, say so with report_blocker.");

    private static HookDecision ObserverDenied(string what) => HookDecision.Deny(
        $"mcpplan: this session has no role (observer) and only reads; {what} would change something. "
        + "Start the session as `MCPPLAN_ROLE=planner claude` or `MCPPLAN_ROLE=implementer claude` to work on plans or code.");
}
