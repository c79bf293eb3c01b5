namespace McpPlanServer.Clients.Hooks;

/// <summary>A parsed command line: its simple commands in order, the text of every <c>$(…)</c>, backtick and <c>&lt;(…)</c> in it, and the bodies of its here-documents.</summary>
internal sealed record ShellScript(IReadOnlyList<ShellCommand> Commands, IReadOnlyList<string> Substitutions, IReadOnlyList<string> HereDocuments);
