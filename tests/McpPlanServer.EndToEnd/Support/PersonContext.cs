using McpPlanServer.Cli.Commands;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// The owner's CLI in a person's context (scrubbed environment, outside the test runner's ancestry), through the same
/// source the demo uses (<see cref="PersonProcess"/>, compiled into this project). What this does, an agent can do
/// too: the environment and ancestry checks are a convenience layer (docs/security.md).
/// </summary>
public static class PersonContext
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var (exitCode, output, error) = await PersonProcess.RunAsync(fileName, arguments, workingDirectory, environment, timeout);
        return new ProcessResult(exitCode, output, error);
    }
}
