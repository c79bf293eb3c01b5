using System.CommandLine;
using System.Globalization;
using McpPlanServer.Cli.Commands;

namespace McpPlanServer.Cli.Verbs;

/// <summary><c>mcpplan board [--port N] [--repo DIR]...</c>: the person's local web board.</summary>
internal static class BoardVerb
{
    public static Command Create(CliContext context)
    {
        var command = new Command("board", "The local web board (127.0.0.1): every plan, the numbers, and your decisions.");
        var port = new Option<int>("--port")
        {
            Description = "The port to listen on (default: a free one).",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535)
                {
                    return number;
                }

                result.AddError($"--port {text}: use a port number from 1 to 65535 (or leave it out for a free one).");
                return 0;
            },
        };
        command.Options.Add(port);
        var repos = new Option<string[]>("--repo") { Description = "A repository to show; repeat for several (default: the enclosing git repository).", HelpName = "DIR" };
        command.Options.Add(repos);
        command.SetAction((parsed, cancellation) =>
            BoardCommand.RunAsync(parsed.GetValue(port), parsed.GetValue(repos) ?? [], context.Output, context.Error, CancellationToken.None));
        return command;
    }
}
