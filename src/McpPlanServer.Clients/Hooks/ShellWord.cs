namespace McpPlanServer.Clients.Hooks;

/// <summary>One shell word after quote removal.</summary>
/// <param name="Text">The word as the command would receive it, as far as the hook can tell.</param>
/// <param name="IsUnresolved">Depends on a variable, command output or stdin the hook cannot evaluate.</param>
/// <param name="HasGlob">Has unquoted <c>*</c>, <c>?</c> or <c>[</c>, so the shell may expand it to file names.</param>
internal sealed record ShellWord(string Text, bool IsUnresolved = false, bool HasGlob = false)
{
    /// <summary>An argument that arrives at run time (for example from <c>xargs</c>' stdin).</summary>
    public static ShellWord Unknown(string description) => new(description, IsUnresolved: true);
}
