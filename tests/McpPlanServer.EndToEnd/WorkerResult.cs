using McpPlanServer.EndToEnd.Support;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.EndToEnd;

/// <summary>What one concurrent worker attempted and what each of its processes reported back.</summary>
public sealed class WorkerResult
{
    public int Attempted { get; private set; }

    public int ServerOk { get; private set; }

    public int CliOk { get; private set; }

    public List<string> Plans { get; } = [];

    public List<string> Failures { get; } = [];

    public async Task ServerAsync(string what, Task<CallToolResult> call)
    {
        Attempted++;
        var result = await call;
        if (result.IsError == true)
        {
            Failures.Add($"{what}: {ServerSession.Text(result)}");
            return;
        }

        ServerOk++;
    }

    public async Task CliAsync(string what, Task<ProcessResult> call)
    {
        Attempted++;
        var result = await call;
        if (result.ExitCode != 0)
        {
            Failures.Add($"{what}: {result}");
            return;
        }

        CliOk++;
    }
}
