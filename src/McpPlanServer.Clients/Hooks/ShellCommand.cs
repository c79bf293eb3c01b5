namespace McpPlanServer.Clients.Hooks;

/// <summary>A simple command: words and redirections between two control operators (<c>;</c>, <c>&amp;&amp;</c>, <c>|</c>, newline…).</summary>
/// <param name="Words">The words after quote removal.</param>
/// <param name="Redirects">Its redirections.</param>
/// <param name="Terminator">The control operator after it: <c>;</c> <c>&amp;&amp;</c> <c>||</c> <c>|</c> <c>&amp;</c> <c>(</c> <c>)</c>, a newline, or empty at the end.</param>
/// <param name="LeadingParentheses">The subshell parentheses opened or closed since the command before it, in order (such as <c>")("</c>).</param>
/// <param name="Substitutions">The text of the <c>$(…)</c>, backticks and <c>&lt;(…)</c> in its words and redirections.</param>
internal sealed record ShellCommand(
    IReadOnlyList<ShellWord> Words,
    IReadOnlyList<ShellRedirect> Redirects,
    string Terminator = "",
    string LeadingParentheses = "",
    IReadOnlyList<string>? Substitutions = null);
