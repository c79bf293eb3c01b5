// Entry point; subcommands are wired in as they land.
Console.Error.WriteLine("usage: mcpplan <command>");
return 2;
