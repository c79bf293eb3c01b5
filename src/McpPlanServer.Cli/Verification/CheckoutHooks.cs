namespace McpPlanServer.Cli.Verification;

/// <summary>What a caller does inside a verification checkout: before the command, on each output line, after it.</summary>
public sealed record CheckoutHooks(Action<string> Prepare, Action<string> Line, Action<string> Inspect);
