namespace McpPlanServer.Cli.Hooks;

/// <summary>A parsed command line: its simple commands in order, and the text of every <c>$(…)</c>, backtick and <c>&lt;(…)</c> in it.</summary>
internal sealed record ShellScript(IReadOnlyList<ShellCommand> Commands, IReadOnlyList<string> Substitutions);
