using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// The decision table, one row per (role, tool, target): real PreToolUse payload shapes, run through the whole
/// hook (parse, config, analysis, output). {REPO}, {HOME} and {OUTSIDE} are folders of the fixture; cwd is {REPO}.
/// </summary>
public sealed class HookDecisionTableTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    private const HookOutcome Allow = HookOutcome.Allow;
    private const HookOutcome Deny = HookOutcome.Deny;

    public static TheoryData<string, string, string, HookOutcome, string> FileEditCases => new()
    {
        { "planner", "Edit", "{REPO}/src/app.cs", Deny, "write_plan" },
        { "planner", "Write", "{OUTSIDE}/scratch.txt", Deny, "does not edit files" },
        { "planner", "MultiEdit", "{REPO}/.claude/plans/Review/p.md", Deny, "write_plan" },
        { "planner", "NotebookEdit", "{REPO}/analysis.ipynb", Deny, "write_plan" },
        { "planner", "Edit", "{REPO}/.mcp.json", Deny, "protected" },
        { "implementer", "Edit", "{REPO}/src/app.cs", Allow, "" },
        { "implementer", "Write", "src/new.cs", Allow, "" },
        { "implementer", "Write", "{OUTSIDE}/scratch.txt", Allow, "" },
        { "implementer", "NotebookEdit", "{REPO}/analysis.ipynb", Allow, "" },
        { "implementer", "Write", "{REPO}/.claude/plansX/a.md", Allow, "" },
        { "implementer", "Write", "{REPO}/.claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "MultiEdit", "{REPO}/.claude/plans/Review/new.md", Deny, "report_blocker" },
        { "implementer", "Edit", "{REPO}/src/../.claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "Edit", "{REPO}/notes/p.md", Deny, "plans folder" },
        { "implementer", "Edit", "notes/../Active/p.md", Deny, "plans folder" },
        { "implementer", "Write", "{REPO}/src-link/../.claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "Write", "{REPO}/.mcp.json", Deny, "protected" },
        { "implementer", "Edit", "{REPO}/src/settings-link.json", Deny, "protected" },
        { "implementer", "Edit", "{REPO}/.claude/settings.json", Deny, "protected" },
        { "implementer", "Write", "{REPO}/.claude/settings.local.json", Deny, "protected" },
        { "implementer", "Edit", "{REPO}/.claude/mcpplan.json", Deny, "protected" },
        { "implementer", "Write", "{REPO}/.claude/hooks/guard.sh", Deny, "protected" },
        { "implementer", "Write", "{HOME}/.claude/settings.json", Deny, "protected" },
        { "implementer", "Write", "{REPO}/.codex/config.toml", Deny, "protected" },
        { "implementer", "Edit", "{REPO}/.gemini/settings.json", Deny, "protected" },
        { "implementer", "Write", "{REPO}/.cursor/mcp.json", Deny, "protected" },
        { "implementer", "Edit", "{REPO}/.vscode/mcp.json", Deny, "protected" },
        { "implementer", "Write", "{REPO}/.vscode/settings.json", Allow, "" },
        { "implementer", "Read", "{REPO}/.claude/plans/Active/p.md", Allow, "" },
        { "planner", "Read", "{REPO}/src/app.cs", Allow, "" },
        { "observer", "Edit", "{REPO}/src/app.cs", Deny, "observer" },
        { "observer", "Write", "{OUTSIDE}/scratch.txt", Deny, "MCPPLAN_ROLE=implementer claude" },
        { "observer", "Read", "{REPO}/src/app.cs", Allow, "" },
    };

    public static TheoryData<string, string, HookOutcome, string> BashCases => new()
    {
        // Planner: reads and inspects; no git changes, no writes into the repository.
        { "planner", "git status", Allow, "" },
        { "planner", "git log --oneline -20 | head -5", Allow, "" },
        { "planner", "git diff HEAD~1 -- src/app.cs", Allow, "" },
        { "planner", "git stash list", Allow, "" },
        { "planner", "git branch -a", Allow, "" },
        { "planner", "dotnet test 2>&1 | tail -5", Allow, "" },
        { "planner", "ls src 2>/dev/null || echo none", Allow, "" },
        { "planner", "echo draft > {OUTSIDE}/scratch.txt", Allow, "" },
        { "planner", "sed 's/a/b/' src/app.cs", Allow, "" },
        { "planner", "echo \"git commit -m x\"", Allow, "" },
        { "planner", "cat <<'EOF' > {OUTSIDE}/notes.txt\ngit commit -m x\nrm -rf src\nEOF", Allow, "" },
        { "planner", "git commit -m \"wip\"", Deny, "commit_step" },
        { "planner", "git -C src commit -am wip", Deny, "git commit" },
        { "planner", "env GIT_AUTHOR_NAME=x git commit -m y", Deny, "git commit" },
        { "planner", "GIT_EDITOR=true git rebase --continue", Deny, "git rebase" },
        { "planner", "sudo -u root git push origin main", Deny, "git push" },
        { "planner", "cd src && git checkout -b feature", Deny, "git checkout" },
        { "planner", "git reset --hard HEAD~1", Deny, "git reset" },
        { "planner", "git switch main; git restore src/app.cs", Deny, "git switch" },
        { "planner", "git branch feature", Deny, "git branch" },
        { "planner", "git stash", Deny, "git stash" },
        { "planner", "bash -c 'git commit -m x'", Deny, "git commit" },
        { "planner", "echo $(git stash pop)", Deny, "git stash" },
        { "planner", "echo `git cherry-pick abc`", Deny, "git cherry-pick" },
        { "planner", "timeout 10 nice -n 5 git am patch.mbox", Deny, "git am" },
        { "planner", "echo hi > src/app.cs", Deny, "does not write into the repository" },
        { "planner", "echo hi >> notes.md", Deny, "notes.md" },
        { "planner", "dotnet build 1> build.log", Deny, "build.log" },
        { "planner", "cat README.md | tee -a src/out.txt", Deny, "tee" },
        { "planner", "sed -i 's/a/b/' src/app.cs", Deny, "sed -i" },
        { "planner", "sed -i.bak -e 's/a/b/' src/app.cs", Deny, "sed -i" },
        { "planner", "cp {OUTSIDE}/a.cs src/", Deny, "cp" },
        { "planner", "mv src/app.cs src/b.cs", Deny, "mv" },
        { "planner", "rm -rf src", Deny, "rm" },
        { "planner", "find . -name '*.tmp' -delete", Deny, "find -delete" },
        { "planner", "cat > src/x.cs <<'EOF'\nclass X {}\nEOF", Deny, "src/x.cs" },
        { "planner", "echo x > \"$OUT\"", Deny, "cannot evaluate" },
        { "planner", "npm install lodash", Deny, "packages" },
        { "planner", "echo x > .mcp.json", Deny, "protected" },
        { "implementer", "echo x > .codex/config.toml", Deny, "protected" },
        { "implementer", "rm -rf .gemini", Deny, "protected" },

        // Implementer: codes and tests freely; no plans, no protected files, commits through commit_step.
        { "implementer", "git status && git diff", Allow, "" },
        { "implementer", "git add -A && git push", Allow, "" },
        { "implementer", "dotnet build > build.log 2>&1", Allow, "" },
        { "implementer", "sed -i 's/a/b/' src/app.cs", Allow, "" },
        { "implementer", "rm -f src/*.o", Allow, "" },
        { "implementer", "mv src/app.cs src/main.cs", Allow, "" },
        { "implementer", "npm install", Allow, "" },
        { "implementer", "echo x > \"$OUT\"", Allow, "" },
        { "implementer", "cat .claude/plans/Active/p.md", Allow, "" },
        { "implementer", "git commit -m x", Deny, "commit_step" },
        { "implementer", "git add -A && git commit -m \"step 1\"", Deny, "allowGitCommitInBash" },
        { "implementer", "git -C {OUTSIDE} commit -m x", Deny, "commit_step" },
        { "implementer", "/usr/bin/git -c user.name=x commit --amend", Deny, "commit_step" },
        { "implementer", "echo x > .claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "mv .claude/plans/Active/p.md .claude/plans/Completed/", Deny, "plans folder" },
        { "implementer", "mv .claude/plans/Active/p.md {OUTSIDE}/", Deny, "plans folder" },
        { "implementer", "cp {OUTSIDE}/p.md .claude/plans/Review/", Deny, "plans folder" },
        { "implementer", "rm -rf .claude/plans", Deny, "plans folder" },
        { "implementer", "rm -rf .claude", Deny, "protected" },
        { "implementer", "rm -rf .cl*", Deny, "protected" },
        { "implementer", "sed -i 's/x/y/' .claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "echo x > notes/p.md", Deny, "plans folder" },
        { "implementer", "cd .claude && echo x > plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "cd .claude/plans/Active && rm p.md", Deny, "plans folder" },
        { "implementer", "find .claude/plans -name '*.md' -exec sed -i 's/a/b/' {} +", Deny, "plans folder" },
        { "implementer", "tee -a .mcp.json < /dev/null", Deny, "protected" },
        { "implementer", "echo '{}' > .claude/settings.local.json", Deny, "protected" },
        { "implementer", "echo x > ~/.claude/settings.json", Deny, "protected" },
        { "implementer", "echo x > \"$HOME/.claude/settings.json\"", Deny, "protected" },
        { "implementer", "echo x > \"$REPO/.claude/plans/Active/p.md\"", Deny, "cannot evaluate" },
        { "implementer", "ls | xargs -I{} cp {} .claude/plans/Review/", Deny, "plans folder" },
        { "implementer", "dd if=/dev/zero of=.claude/mcpplan.json", Deny, "protected" },
        { "implementer", "bash -lc \"echo x > .claude/plans/Active/p.md\"", Deny, "plans folder" },
        { "implementer", "echo x>.mcp.json", Deny, "protected" },
        { "implementer", "> .claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", ": >| .claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "(cd .claude && rm -rf plans)", Deny, "plans folder" },
        { "implementer", "git\tcommit\t-m x", Deny, "commit_step" },
        { "implementer", "sh -c \"echo \\\"$(git commit -m x)\\\"\"", Deny, "commit_step" },
        { "implementer", "echo ok # > .mcp.json", Allow, "" },
        { "implementer", "echo 'a > .mcp.json'", Allow, "" },
        { "implementer", "git log --format='%H > x' 2>/dev/null", Allow, "" },

        // Observer: reads only.
        { "observer", "ls -la && cat src/app.cs | grep App", Allow, "" },
        { "observer", "git log -p -1", Allow, "" },
        { "observer", "touch a.txt", Deny, "observer" },
        { "observer", "mkdir build", Deny, "observer" },
        { "observer", "pip install requests", Deny, "observer" },
        { "observer", "echo x > {OUTSIDE}/a.txt", Deny, "observer" },
        { "observer", "git commit -m x", Deny, "observer" },
        { "observer", "sudo apt-get install -y jq", Deny, "observer" },
    };

    [Theory]
    [MemberData(nameof(FileEditCases))]
    public void File_edit_tools_follow_the_table(string role, string tool, string path, HookOutcome expected, string reasonPart)
    {
        var run = Run(role, tool, repository.Expand(path));

        Assert.True(expected == run.Outcome, $"{role} {tool} {path}: expected {expected}, got {run.Outcome}. {run.Reason}");
        Assert.Contains(reasonPart, run.Reason);
    }

    [Theory]
    [MemberData(nameof(BashCases))]
    public void Bash_commands_follow_the_table(string role, string command, HookOutcome expected, string reasonPart)
    {
        var run = Run(role, "Bash", repository.Expand(command));

        Assert.True(expected == run.Outcome, $"{role} `{command}`: expected {expected}, got {run.Outcome}. {run.Reason}");
        Assert.Contains(reasonPart, run.Reason);
    }

    [Fact]
    public void A_missing_role_is_the_observer()
    {
        Assert.Equal(HookOutcome.Deny, Run(null, "Edit", repository.Expand("{REPO}/src/app.cs")).Outcome);
        Assert.Equal(HookOutcome.Allow, Run("", "Bash", "ls").Outcome);
    }

    [Fact]
    public void A_denial_is_the_documented_json_on_stdout_with_exit_zero()
    {
        var run = Run("planner", "Write", repository.Expand("{REPO}/src/app.cs"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("deny", run.PermissionDecision);
        Assert.Contains("\"hookEventName\":\"PreToolUse\"", run.Stdout);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public void The_project_directory_keeps_the_repository_guarded_after_cd_elsewhere()
    {
        var payload = HookRun.Payload("Write", HookRun.ToolInput("Write", repository.Expand("{REPO}/.claude/plans/Active/p.md")), repository.Outside);

        var withProject = HookRun.Execute(payload, "implementer", new HookEnvironment(repository.Repo, repository.Home));

        Assert.Equal(HookOutcome.Deny, withProject.Outcome);
    }

    private HookRun Run(string? role, string tool, string pathOrCommand) =>
        HookRun.Execute(
            HookRun.Payload(tool, HookRun.ToolInput(tool, pathOrCommand), repository.Repo),
            role,
            new HookEnvironment(ProjectDirectory: null, repository.Home));
}
