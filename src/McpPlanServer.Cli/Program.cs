using McpPlanServer.Cli;

// Thin entry point: everything lives in CliApplication. stdout stays free for MCP messages under `serve`.
return await CliApplication.RunAsync(args, Console.Out, Console.Error);
