namespace McpPlanServer.Clients.Init;

/// <summary>
/// The role section of <c>CLAUDE.md</c>, between markers so that re-running init replaces exactly that block and
/// leaves the rest of the file as the team wrote it.
/// </summary>
internal static class ClaudeMdSection
{
    public const string RelativePath = "CLAUDE.md";
    public const string StartMarker = "<!-- mcpplan:start -->";
    public const string EndMarker = "<!-- mcpplan:end -->";

    public static string Block(string plansRoot) => $"""
        {StartMarker}
        ## Plans workflow (mcpplan)

        Work here follows plan → human approval → implementation → review, through the `plans` MCP server.
        A session's role is fixed when it starts: `MCPPLAN_ROLE=planner claude --settings .claude/mcpplan/planner.settings.json`
        or `MCPPLAN_ROLE=implementer claude --settings .claude/mcpplan/implementer.settings.json` (the role's sandbox rules);
        without a role the session is a read-only observer.

        - **Planner**: explore, write and revise plans with `write_plan`, review implementations. Never edit code or commit.
        - **Implementer**: implement the active plan step by step and commit each step with `commit_step`;
          report problems with the plan through the server instead of editing it. Never change `{plansRoot}/` or `.claude/` settings.
        - **Person**: approves, requests changes, completes or abandons plans with the `mcpplan` CLI. No agent approves.

        A PreToolUse hook (`mcpplan hook`) and Claude Code's sandbox enforce these limits; when one denies a call, do what its reason says instead.
        {EndMarker}
        """;

    /// <summary>The file's new text: the block replaced in place, or appended when the file has none.</summary>
    public static string Apply(string? existing, string plansRoot)
    {
        var newline = existing?.Contains("\r\n", StringComparison.Ordinal) == true ? "\r\n" : "\n";
        var block = Block(plansRoot).ReplaceLineEndings(newline);
        if (string.IsNullOrEmpty(existing))
        {
            return block + newline;
        }

        var start = existing.IndexOf(StartMarker, StringComparison.Ordinal);
        if (start < 0)
        {
            var separator = existing.EndsWith('\n') ? newline : newline + newline;
            return existing + separator + block + newline;
        }

        var end = existing.IndexOf(EndMarker, start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InitRefusedException(
                $"{RelativePath} has {StartMarker} but no {EndMarker} after it; add the end marker (or remove the start marker) and run mcpplan init again.");
        }

        return existing[..start] + block + existing[(end + EndMarker.Length)..];
    }
}
