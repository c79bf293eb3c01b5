using McpPlanServer.Cli;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Cli.Verbs;

namespace McpPlanServer.Tests.Cli;

/// <summary>The command line as System.CommandLine parses it: help for every command, options a command does not take refused, exit codes kept.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string> Commands() => [.. CliCommands.Create(Context(TextWriter.Null)).Subcommands.Select(command => command.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Every_command_has_help_that_lists_its_options(string command)
    {
        var (exit, output, error) = await RunAsync(command, "--help");

        Assert.True(exit == CliApplication.Done, error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains($" {command} ", output, StringComparison.Ordinal);
        Assert.Contains("Options:", output, StringComparison.Ordinal);
        Assert.Contains("--help", output, StringComparison.Ordinal);
        if (command != "demo")
        {
            Assert.Contains("--repo", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_help_names_the_roles_instead_of_unknown_option()
    {
        var (exit, output, _) = await RunAsync("serve", "--help");

        Assert.Equal(CliApplication.Done, exit);
        Assert.Contains("--role <planner|implementer|observer>", output, StringComparison.Ordinal);
        Assert.Contains("--role-from-env", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "--by", "x")]
    [InlineData("show", "p", "--sha", "abcdef12")]
    [InlineData("log", "--note", "x")]
    [InlineData("serve", "--role", "planner", "--state", "review")]
    [InlineData("demo", "--repo", ".")]
    [InlineData("show", "p", "q")]
    [InlineData("show", "--by", "x")]
    public async Task An_option_or_argument_the_command_does_not_take_is_a_usage_error(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(CliApplication.Usage, exit);
        Assert.Empty(output);
        Assert.Contains($"Run 'mcpplan {args[0]} --help' for its options.", error, StringComparison.Ordinal);
        Assert.Contains(args[^2].StartsWith('-') ? args[^2] : args[^1], error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show", "'show' needs a plan id.")]
    [InlineData("approve", "'approve' needs a plan id.")]
    [InlineData("lint", "'lint' needs a markdown file.")]
    public async Task A_missing_argument_names_what_is_needed(string command, string message)
    {
        var (exit, _, error) = await RunAsync(command);

        Assert.Equal(CliApplication.Usage, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_and_an_unknown_client_are_usage_errors_naming_the_fix()
    {
        var unknown = await RunAsync("frobnicate");
        var client = await RunAsync("init", "--client", "claud");

        Assert.Equal(CliApplication.Usage, unknown.Exit);
        Assert.Contains("frobnicate", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'mcpplan help'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(CliApplication.Usage, client.Exit);
        Assert.Contains("--client claud: unknown client; use claude, codex", client.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_help_and_no_arguments_answer_as_before()
    {
        var version = await RunAsync("--version");
        var help = await RunAsync("help");
        var none = await RunAsync();

        Assert.Equal((CliApplication.Done, typeof(CliApplication).Assembly.GetName().Version!.ToString(3) + Environment.NewLine), (version.Exit, version.Output));
        Assert.Equal(CliApplication.Done, help.Exit);
        Assert.Contains("mcpplan serve --role", help.Output, StringComparison.Ordinal);
        Assert.Equal(CliApplication.Usage, none.Exit);
        Assert.Contains("mcpplan serve --role", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_keep_their_text_an_at_sign_is_not_a_response_file_and_equals_works()
    {
        var parsed = CliCommands.Create(Context(TextWriter.Null)).Parse(["approve", "p", "--sha=abcdef12", "--by", "@alice"], CliCommands.Parsing);

        Assert.Empty(parsed.Errors);
        Assert.Equal("abcdef12", parsed.GetValue<string>("--sha"));
        Assert.Equal("@alice", parsed.GetValue<string>("--by"));
        Assert.Equal("p", parsed.GetValue<string>("ID"));
    }

    [Fact]
    public void Init_client_lists_are_parsed_into_the_clients_in_order()
    {
        var root = CliCommands.Create(Context(TextWriter.Null));

        Assert.Equal(["claude"], root.Parse(["init"], CliCommands.Parsing).GetValue<IReadOnlyList<string>>("--client"));
        Assert.Equal(["codex", "gemini"], root.Parse(["init", "--client", "gemini,codex"], CliCommands.Parsing).GetValue<IReadOnlyList<string>>("--client"));
    }

    [Theory]
    [InlineData("serve", "--role", "planner")]
    [InlineData("serve", "--role", "implementer", "--repo", "/tmp/some repo")]
    [InlineData("serve", "--repo", "r", "--log-level", "debug", "--role", "observer")]
    [InlineData("serve", "--role-from-env")]
    [InlineData("serve", "--role-from-env", "--repo", "@r")]
    [InlineData("serve", "--role", "planner", "--role-from-env")]
    [InlineData("serve", "--role", "nobody")]
    [InlineData("serve")]
    public async Task The_stdio_server_lines_read_without_the_parser_read_as_the_parser_reads_them(params string[] args)
    {
        var fast = ServeVerb.TryReadStdio(args);
        var parsed = await ParsedServeOptionsAsync(args);

        Assert.NotNull(fast);
        Assert.NotNull(parsed);
        Assert.Equal(Describe(parsed), Describe(fast));
    }

    [Theory]
    [InlineData("serve", "--help")]
    [InlineData("serve", "--role", "planner", "-h")]
    [InlineData("serve", "--http")]
    [InlineData("serve", "--role=planner")]
    [InlineData("serve", "--role", "planner", "--role", "observer")]
    [InlineData("serve", "--role-from-env", "--role-from-env")]
    [InlineData("serve", "--role-from-env", "true")]
    [InlineData("serve", "--role")]
    [InlineData("serve", "--role", "--repo", "r")]
    [InlineData("serve", "--repo", "/?")]
    [InlineData("serve", "--role", "planner", "extra")]
    [InlineData("serve", "--role", "planner", "--state", "review")]
    [InlineData("status", "--repo", "r")]
    public void Every_other_line_is_left_to_the_parser(params string[] args) =>
        Assert.Null(ServeVerb.TryReadStdio(args));

    [Fact]
    public async Task A_bad_role_on_the_fast_path_is_the_same_usage_error()
    {
        var (exit, output, error) = await RunAsync("serve", "--role", "nobody");

        Assert.Equal(CliApplication.Usage, exit);
        Assert.Empty(output);
        Assert.Contains("Unknown role 'nobody'", error, StringComparison.Ordinal);
        Assert.Contains("Run 'mcpplan serve --help' for its options.", error, StringComparison.Ordinal);
    }

    /// <summary>What System.CommandLine hands the serve action for <paramref name="args"/>; null when it refuses the line.</summary>
    private static async Task<ServeOptions?> ParsedServeOptionsAsync(string[] args)
    {
        ServeOptions? captured = null;
        var root = new System.CommandLine.RootCommand { ServeVerb.Create(options => { captured = options; return Task.FromResult(CliApplication.Done); }) };
        var parsed = root.Parse(args, CliCommands.Parsing);
        if (parsed.Errors.Count > 0)
        {
            return null;
        }

        await parsed.InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        return captured;
    }

    private static string Describe(ServeOptions options) =>
        $"{options.Role}|{options.RoleFromEnvironment}|{options.LogLevel}|{options.Repo}|{options.Http}|{options.Listen}|" +
        $"{string.Join(",", options.AllowedHosts ?? [])}|{string.Join(",", options.AllowedOrigins ?? [])}|{options.AllowRemote}";

    private static CliContext Context(TextWriter output) => new(output, TextWriter.Null, TimeProvider.System);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApplication.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
