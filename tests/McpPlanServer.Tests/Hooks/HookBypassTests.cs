using McpPlanServer.Clients.Hooks;

namespace McpPlanServer.Tests.Hooks;

/// <summary>
/// Issue 10's bypasses, each tried the way a determined agent would, in every agent role: the person's decisions
/// however spelled, removing the session's markers, a <c>cd</c> whose effect is uncertain, git that changes the
/// repository under another name, a session the hook cannot place, the client's own settings. Read-only rows prove
/// the rules did not simply deny everything. {REPO}, {HOME}, {OUTSIDE} as in <see cref="HookDecisionTableTests"/>.
/// </summary>
public sealed class HookBypassTests(HookRepositoryFixture repository) : IClassFixture<HookRepositoryFixture>
{
    private const HookOutcome Allow = HookOutcome.Allow;
    private const HookOutcome Deny = HookOutcome.Deny;

    private static readonly string[] AgentRoles = ["planner", "implementer", "observer"];

    public static TheoryData<string, string> OwnerDecisionsInEveryRole => new()
    {
        { "mcpplan approve p", "person's decision" },
        { "/opt/tools/bin/mcpplan approve p", "mcpplan approve" },
        { "env mcpplan approve p", "mcpplan approve" },
        { "bash -c 'mcpplan complete p'", "mcpplan complete" },
        { "sh -c \"mcpplan request-changes p --note x\"", "mcpplan request-changes" },
        { "eval mcpplan approve p", "mcpplan approve" },
        { "eval \"$(echo mcpplan approve p)\"", "mcpplan approve" },
        { "MCPPLAN_ROLE=planner mcpplan approve p", "mcpplan approve" },
        { "python3 -c 'import os; os.system(\"mcpplan approve p\")'", "mcpplan approve" },
        { "python3 -c \"import subprocess; subprocess.run(['mcpplan', 'approve', 'p'])\"", "mcpplan approve" },
        { "node -e 'require(\"child_process\").execSync(\"mcpplan approve p\")'", "mcpplan approve" },
        { "perl -e 'system(\"mcpplan\", \"abandon\", \"p\", \"--reason\", \"x\")'", "mcpplan abandon" },
        { "ruby -e 'exec \"mcpplan integrate p\"'", "mcpplan integrate" },
        { "python3 - <<'EOF'\nimport subprocess\nsubprocess.run(['mcpplan', 'approve', 'p'])\nEOF", "here-document" },
        { "dotnet /src/McpPlanServer.Cli/bin/Release/net10.0/mcpplan.dll approve p", "mcpplan approve" },
        { "dotnet exec ./bin/mcpplan.dll complete p", "mcpplan complete" },
        { "dotnet tool run mcpplan approve p", "mcpplan approve" },
        { "dotnet mcpplan abandon p --reason x", "mcpplan abandon" },
        { "mcpplan --repo . integrate p", "mcpplan integrate" },
        { "echo p | xargs mcpplan approve", "mcpplan approve" },
        { "echo approve p | xargs mcpplan", "cannot read" },
        { "mcpplan $VERB p", "cannot read" },
        { "$TOOL approve p", "cannot name" },
        { "nohup mcpplan approve p &", "mcpplan approve" },
        { "setsid -f mcpplan approve p", "mcpplan approve" },
        { "timeout 5 nice -n 5 mcpplan approve p", "mcpplan approve" },
        { "(mcpplan approve p)", "mcpplan approve" },
        { "echo $(mcpplan approve p)", "mcpplan approve" },
        { "echo `mcpplan complete p`", "mcpplan complete" },
        { "ssh localhost mcpplan approve p", "mcpplan approve" },
        { "echo 'mcpplan approve p' | sh", "mcpplan approve" },
        { "sudo -u me mcpplan complete p", "mcpplan complete" },
        { "watch -n1 'mcpplan approve p'", "mcpplan approve" },
        { "MCPPLAN.EXE approve p", "approve" },
    };

    public static TheoryData<string, string> MarkerRemovalsInEveryRole => new()
    {
        { "env -u CLAUDECODE ./approve.sh", "env -u CLAUDECODE" },
        { "env -u MCPPLAN_ROLE bash", "env -u MCPPLAN_ROLE" },
        { "env --unset=CLAUDECODE true", "CLAUDECODE" },
        { "env -uCLAUDE_CODE_ENTRYPOINT true", "CLAUDE_CODE_ENTRYPOINT" },
        { "env -i PATH=/usr/bin ./x.sh", "empty environment" },
        { "env - ./x.sh", "empty environment" },
        { "env -S 'CLAUDECODE= ./x.sh'", "env -S" },
        { "unset CLAUDECODE; ./x.sh", "unset CLAUDECODE" },
        { "unset -v MCPPLAN_ROLE && ./x.sh", "unset MCPPLAN_ROLE" },
        { "export -n CLAUDECODE", "CLAUDECODE" },
        { "CLAUDECODE= ./x.sh", "CLAUDECODE" },
        { "export GEMINI_CLI=0", "GEMINI_CLI" },
        { "MCPPLAN_ROLE=observer ./x.sh", "MCPPLAN_ROLE" },
        { "exec -c ./x.sh", "empty environment" },
        { "unset $NAME", "unset" },
    };

    public static TheoryData<string, string> ReadOnlyCommandsInEveryRole => new()
    {
        { "mcpplan status", "" },
        { "mcpplan show p && mcpplan log p", "" },
        { "grep -rn approve src", "" },
        { "git log --grep approve --oneline", "" },
        { "echo $CLAUDECODE $MCPPLAN_ROLE", "" },
        { "env | grep CLAUDE", "" },
        { "printenv MCPPLAN_ROLE", "" },
        { "cat docs/approve.md", "" },
        { "git status && git log -5 && git show HEAD && git diff HEAD~1", "" },
        { "git blame src/app.cs; git grep -n App; git ls-files; git rev-parse HEAD; git cat-file -p HEAD", "" },
        { "git branch -a; git stash list; git config --get user.name; git reflog; git remote -v; git worktree list; git tag -l", "" },
        { "git -c color.ui=always log -1; git format-patch --stdout HEAD~1", "" },
        { "cd src && ls; cd .. && cat README.md", "" },
    };

    public static TheoryData<string, string, HookOutcome, string> UncertainDirectoryCases => new()
    {
        // The repros: the hook assumed each cd took effect.
        { "planner", "cd {OUTSIDE}/nonexistent 2>/dev/null; echo x > src/x.py", Deny, "src/x.py" },
        { "planner", "(cd {OUTSIDE}); echo x > src/x.py", Deny, "src/x.py" },
        { "planner", "false && cd {OUTSIDE}; echo x > src/x.py", Deny, "every folder" },
        { "planner", "cd {OUTSIDE} | true; echo x > src/x.py", Deny, "src/x.py" },
        { "planner", "cd {OUTSIDE} & echo x > src/x.py", Deny, "src/x.py" },
        { "planner", "cd {OUTSIDE} && echo x > a.txt; echo y > b.txt", Deny, "b.txt" },
        { "implementer", "cd {OUTSIDE}/nope 2>/dev/null; echo {} > .claude/settings.json", Deny, "protected" },
        { "implementer", "(cd {OUTSIDE}); echo {} > .mcp.json", Deny, "protected" },
        { "implementer", "false && cd {OUTSIDE}; rm -rf .claude/plans", Deny, "plans folder" },
        { "implementer", "cd {OUTSIDE} | true; echo x > .claude/mcpplan.json", Deny, "protected" },
        { "implementer", "cd {OUTSIDE} & echo x > .claude/plans/Active/p.md", Deny, "plans folder" },
        { "implementer", "eval 'cd .claude'; echo x > settings.json", Deny, "protected" },
        { "implementer", "cd .claude && echo $(echo x > settings.json)", Deny, "protected" },
        { "implementer", "cd .claude/plans 2>/dev/null || true; echo x > Active/p.md", Deny, "plans folder" },
        { "implementer", "cd $DIR; echo x > p.md", Deny, "cannot name" },
        { "implementer", "cd -; echo x > p.md", Deny, "cannot name" },
        { "implementer", "pushd {OUTSIDE} && popd; echo x > notes.md", Deny, "cannot name" },
        { "implementer", "source ./env.sh; echo x > p.md", Deny, "cannot name" },
        { "observer", "cd {OUTSIDE} && touch a", Deny, "observer" },

        // Certain moves still work.
        { "implementer", "cd src && echo x > a.cs", Allow, "" },
        { "implementer", "cd src; echo x > a.cs", Allow, "" },
        { "implementer", "cd {OUTSIDE} && echo x > settings.json", Allow, "" },
        { "implementer", "(cd src && make) && echo done > build.log", Allow, "" },
        { "planner", "cd {OUTSIDE} && echo x > a.txt && cat a.txt", Allow, "" },
        { "planner", "cd {OUTSIDE}/nonexistent && echo x > src/x.py", Allow, "" },
    };

    public static TheoryData<string, string, HookOutcome, string> GitCases => new()
    {
        // Every role: a commit under another name.
        { "implementer", "echo commit -am x | xargs git", Deny, "another name" },
        { "implementer", "git -c alias.ci=commit ci -m x", Deny, "alias" },
        { "implementer", "git --config-env=alias.ci=CMD ci", Deny, "alias" },
        { "implementer", "git ci -m x", Deny, "alias" },
        { "implementer", "git $SUB -m x", Deny, "cannot read" },
        { "implementer", "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0=commit git x", Deny, "GIT_CONFIG" },
        { "planner", "echo commit -am x | xargs git", Deny, "only git commands that read" },
        { "planner", "git -c alias.ci=commit ci -m x", Deny, "alias" },
        { "observer", "git -c alias.ci=commit ci -m x", Deny, "observer" },

        // The implementer still works with git.
        { "implementer", "git add -A && git push", Allow, "" },
        { "implementer", "git fetch origin && git rebase origin/main", Allow, "" },
        { "implementer", "git -c user.name=x log -1", Allow, "" },
        { "implementer", "git checkout-index -f -a", Allow, "" },

        // The planner: only git that reads.
        { "planner", "git merge-file a b c", Deny, "git merge-file" },
        { "planner", "git checkout-index -f -a", Deny, "git checkout-index" },
        { "planner", "git read-tree -u HEAD", Deny, "git read-tree" },
        { "planner", "git symbolic-ref HEAD refs/heads/x", Deny, "git symbolic-ref" },
        { "planner", "git fast-import < {OUTSIDE}/stream", Deny, "git fast-import" },
        { "planner", "git diff --output=src/x.patch", Deny, "git diff" },
        { "planner", "git log -p --output {OUTSIDE}/x", Deny, "git log" },
        { "planner", "git archive -o src/x.zip HEAD", Deny, "git archive" },
        { "planner", "git format-patch -o src HEAD~1", Deny, "git format-patch" },
        { "planner", "git bundle create x.bundle HEAD", Deny, "git bundle" },
        { "planner", "git clone . {OUTSIDE}/copy", Deny, "git clone" },
        { "planner", "git fetch . HEAD:refs/heads/y", Deny, "git fetch" },
        { "planner", "git sparse-checkout set src", Deny, "git sparse-checkout" },
        { "planner", "git bisect start", Deny, "git bisect" },
        { "planner", "git reflog expire --expire=now --all", Deny, "git reflog" },
        { "planner", "git -c core.pager='sh -c x' log", Deny, "core.pager" },
        { "planner", "git grep -O'sh -c x' App", Deny, "git grep" },
        { "planner", "git --exec-path={OUTSIDE} status", Deny, "exec-path" },
        { "planner", "git config user.name x", Deny, "git config" },
        { "planner", "git gc", Deny, "git gc" },
    };

    public static TheoryData<string, string, HookOutcome, string> ClientSettingsCases => new()
    {
        { "implementer", "Write {HOME}/.claude/settings.local.json", Deny, "user settings" },
        { "planner", "Edit {HOME}/.claude/settings.json", Deny, "protected" },
        { "implementer", "Bash echo '{}' > ~/.claude/settings.json", Deny, "protected" },
        { "implementer", "Bash echo '{}' > ~/.claude.json", Deny, "~/.claude.json" },
        { "implementer", "Bash rm -rf ~/.claude", Deny, "protected" },
        { "implementer", "Write /etc/claude-code/managed-settings.json", Deny, "managed client settings" },
        { "implementer", "Write {REPO}/.claude/mcpplan/planner.settings.json", Deny, "sandbox settings" },
        { "implementer", "Bash echo x > .config/dotnet-tools.json", Deny, "dotnet-tools.json" },
        { "implementer", "Write {HOME}/.claude/notes.md", Allow, "" },
    };

    [Theory]
    [MemberData(nameof(OwnerDecisionsInEveryRole))]
    public void The_persons_decisions_are_denied_in_every_role_however_spelled(string command, string reasonPart)
    {
        foreach (var role in AgentRoles)
        {
            AssertOutcome(role, "Bash", command, Deny, reasonPart);
        }
    }

    [Theory]
    [MemberData(nameof(MarkerRemovalsInEveryRole))]
    public void Removing_a_session_marker_is_denied_in_every_role(string command, string reasonPart)
    {
        foreach (var role in AgentRoles)
        {
            AssertOutcome(role, "Bash", command, Deny, reasonPart);
        }
    }

    [Theory]
    [MemberData(nameof(ReadOnlyCommandsInEveryRole))]
    public void Reading_commands_stay_allowed_in_every_role(string command, string reasonPart)
    {
        foreach (var role in AgentRoles)
        {
            AssertOutcome(role, "Bash", command, Allow, reasonPart);
        }
    }

    [Theory]
    [MemberData(nameof(UncertainDirectoryCases))]
    public void A_cd_whose_effect_is_uncertain_leaves_every_place_it_may_be(string role, string command, HookOutcome expected, string reasonPart) =>
        AssertOutcome(role, "Bash", command, expected, reasonPart);

    [Theory]
    [MemberData(nameof(GitCases))]
    public void Git_is_judged_by_what_it_can_do(string role, string command, HookOutcome expected, string reasonPart) =>
        AssertOutcome(role, "Bash", command, expected, reasonPart);

    [Theory]
    [MemberData(nameof(ClientSettingsCases))]
    public void The_clients_own_settings_are_protected(string role, string toolAndTarget, HookOutcome expected, string reasonPart)
    {
        var space = toolAndTarget.IndexOf(' ');
        AssertOutcome(role, toolAndTarget[..space], toolAndTarget[(space + 1)..], expected, reasonPart);
    }

    [Fact]
    public void A_moved_client_config_folder_is_protected_like_the_home_one()
    {
        var configFolder = Path.Join(repository.Outside, "claude-config");
        var payload = HookRun.Payload("Write", HookRun.ToolInput("Write", Path.Join(configFolder, "settings.json")), repository.Repo);

        var run = HookRun.Execute(payload, "implementer", new HookEnvironment(null, repository.Home, configFolder));

        Assert.Equal(Deny, run.Outcome);
        Assert.Contains("user settings", run.Reason);
    }

    [Theory]
    [InlineData("planner")]
    [InlineData("implementer")]
    [InlineData("observer")]
    public void Bash_outside_the_sandbox_is_denied(string role)
    {
        var input = HookRun.ToolInput("Bash", "ls");
        input["dangerouslyDisableSandbox"] = true;

        var run = HookRun.Execute(HookRun.Payload("Bash", input, repository.Repo), role, new HookEnvironment(null, repository.Home));

        Assert.Equal(Deny, run.Outcome);
        Assert.Contains("without dangerouslyDisableSandbox", run.Reason);
    }

    public static TheoryData<string, string, string, HookOutcome> UnplacedCases => new()
    {
        { "planner", "Bash", "echo x > {REPO}/src/x.py", Deny },
        { "implementer", "Write", "{REPO}/.claude/plans/Active/p.md", Deny },
        { "implementer", "Bash", "git commit -am x", Deny },
        { "implementer", "Bash", "echo x > {OUTSIDE}/scratch.txt", Deny },
        { "implementer", "Bash", "ls -la && git status", Allow },
        { "planner", "Read", "{REPO}/src/app.cs", Allow },
        { "planner", "Bash", "mcpplan approve p", Deny },
    };

    [Theory]
    [MemberData(nameof(UnplacedCases))]
    public void Without_a_repository_the_hook_denies_what_it_cannot_place(string role, string tool, string target, HookOutcome expected)
    {
        // No CLAUDE_PROJECT_DIR and a working folder outside any repository: the hook cannot tell what it guards.
        var payload = HookRun.Payload(tool, HookRun.ToolInput(tool, repository.Expand(target)), repository.Outside);

        var run = HookRun.Execute(payload, role, new HookEnvironment(null, repository.Home));

        Assert.True(expected == run.Outcome, $"{role} {tool} {target}: expected {expected}, got {run.Outcome}. {run.Reason}");
        if (expected == Deny && !target.Contains("approve", StringComparison.Ordinal))
        {
            Assert.Contains("CLAUDE_PROJECT_DIR", run.Reason);
        }
    }

    [Fact]
    public void A_project_folder_outside_any_repository_is_not_guessed_from_the_working_folder()
    {
        var payload = HookRun.Payload("Write", HookRun.ToolInput("Write", repository.Expand("{REPO}/src/x.cs")), repository.Repo);

        var run = HookRun.Execute(payload, "implementer", new HookEnvironment(repository.Outside, repository.Home));

        Assert.Equal(Deny, run.Outcome);
        Assert.Contains("is not inside a git repository", run.Reason);
    }

    private void AssertOutcome(string role, string tool, string pathOrCommand, HookOutcome expected, string reasonPart)
    {
        var expanded = repository.Expand(pathOrCommand);
        var run = HookRun.Execute(
            HookRun.Payload(tool, HookRun.ToolInput(tool, expanded), repository.Repo),
            role,
            new HookEnvironment(ProjectDirectory: null, repository.Home));

        Assert.True(expected == run.Outcome, $"{role} {tool} `{pathOrCommand}`: expected {expected}, got {run.Outcome}. {run.Reason}");
        Assert.Contains(reasonPart, run.Reason);
    }
}
