namespace McpPlanServer.Clients.Hooks;

/// <summary>A redirection such as <c>&gt;&gt; out.txt</c> or <c>2&gt;&amp;1</c>.</summary>
internal sealed record ShellRedirect(string Operator, ShellWord Target)
{
    private static readonly HashSet<string> WritingOperators = [">", ">>", ">|", "&>", "&>>", "<>"];

    /// <summary>True when the redirection opens a file for writing (not a descriptor copy such as <c>2&gt;&amp;1</c>).</summary>
    public bool WritesFile =>
        WritingOperators.Contains(Operator)
        || (Operator == ">&" && Target.Text != "-" && !Target.Text.All(char.IsAsciiDigit));
}
