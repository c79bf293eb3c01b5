using ModelContextProtocol.Protocol;

namespace McpPlanServer.Mcp.Prompts;

/// <summary>A prompt's declaration and how to render it from its string arguments and the asking client's name.</summary>
public sealed record PlanPrompt(Prompt Prompt, Func<IReadOnlyDictionary<string, string>, string?, GetPromptResult> Render);
