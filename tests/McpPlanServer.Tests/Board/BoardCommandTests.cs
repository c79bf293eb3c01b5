using McpPlanServer.Cli;
using McpPlanServer.Cli.Verbs;

namespace McpPlanServer.Tests.Board;

public sealed class BoardCommandTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("70000")]
    public async Task A_bad_port_is_a_usage_error_naming_the_fix(string port)
    {
        var error = new StringWriter();
        Assert.Equal(CliApplication.Usage, await CliApplication.RunAsync(["board", "--port", port], TextWriter.Null, error));
        Assert.Contains("use a port number from 1 to 65535", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_repo_options_are_all_kept_in_order()
    {
        var parsed = CliCommands.Create(new CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System))
            .Parse(["board", "--repo", "a", "--repo=b", "--port", "1"], CliCommands.Parsing);

        Assert.Empty(parsed.Errors);
        Assert.Equal(["a", "b"], parsed.GetValue<string[]>("--repo")!);
        Assert.Equal(1, parsed.GetValue<int>("--port"));
    }
}
