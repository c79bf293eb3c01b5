using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Cli.Security;

/// <summary>
/// The owner's decisions (approve, request-changes, complete, abandon, repair) are refused inside an agent session.
/// The refusal names what was seen and where the person gives the decision instead.
/// </summary>
public static class OwnerSession
{
    /// <summary>This process, as the operating system shows it.</summary>
    public static AgentSessionReport Current() =>
        AgentSessionDetector.Inspect(CurrentEnvironment(), new ProcProcessTable(), Environment.ProcessId, !Console.IsInputRedirected);

    public static void RequirePerson(AgentSessionReport report, string command)
    {
        if (!report.IsAgentSession)
        {
            return;
        }

        throw new PlanRefusedException(
            RefusalCodes.AgentSession,
            $"'mcpplan {command}' is the person's decision and is refused inside an AI agent session: {string.Join("; ", report.Signals)}. " +
            "Approvals and the other owner decisions are the person's: give them in a terminal you opened yourself, outside any agent client " +
            "and outside an editor's agent terminal (or on the board when it is available). An agent asks the person and waits (await_approval).");
    }

    private static Dictionary<string, string> CurrentEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }
}
