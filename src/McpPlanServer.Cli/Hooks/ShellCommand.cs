namespace McpPlanServer.Cli.Hooks;

/// <summary>A simple command: words and redirections between two control operators (<c>;</c>, <c>&amp;&amp;</c>, <c>|</c>, newline…).</summary>
internal sealed record ShellCommand(IReadOnlyList<ShellWord> Words, IReadOnlyList<ShellRedirect> Redirects);
