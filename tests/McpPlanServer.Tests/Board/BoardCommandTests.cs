using McpPlanServer.Cli;
using McpPlanServer.Cli.Commands;

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
        var line = CommandLine.Parse(["board", "--repo", "a", "--repo=b", "--port", "1"], new HashSet<string> { "repo", "port" }, new HashSet<string>());
        Assert.Equal(["a", "b"], line.Values("repo"));
        Assert.Equal("b", line.Value("repo"));
        Assert.Empty(line.Values("port").Skip(1));
    }
}
