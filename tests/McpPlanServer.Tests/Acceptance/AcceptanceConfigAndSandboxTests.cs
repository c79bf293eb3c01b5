using System.Text.Json.Nodes;
using McpPlanServer.Cli.Commands;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Acceptance;

/// <summary>The config key <c>acceptance</c> and the sandbox deny list that follows the pins of active plans.</summary>
public sealed class AcceptanceConfigAndSandboxTests
{
    [Fact]
    public void The_acceptance_settings_are_read_from_the_config_and_checked()
    {
        var folder = Directory.CreateTempSubdirectory("mcpplan-config-");
        try
        {
            var path = Path.Join(folder.FullName, "mcpplan.json");
            File.WriteAllText(path, """{ "acceptance": { "timeoutSeconds": 30, "refuseHandInOnFailure": false } }""");
            var config = ConfigFile.Load(path);
            Assert.Equal(30, config.Acceptance.TimeoutSeconds);
            Assert.False(config.Acceptance.RefuseHandInOnFailure);

            File.WriteAllText(path, """{ "acceptance": { "timeoutSeconds": 0 } }""");
            Assert.Contains("acceptance.timeoutSeconds", Assert.Throws<PlanRefusedException>(() => ConfigFile.Load(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_implementers_deny_list_gains_the_pins_of_active_plans_and_loses_them_when_the_plan_leaves_active()
    {
        using var repository = new AcceptanceRepository();
        var settings = repository.Git.Path(AcceptanceSandbox.SettingsFile);
        repository.Git.Write(AcceptanceSandbox.SettingsFile, """{"sandbox":{"filesystem":{"denyWrite":["../../.claude/plans","../../mine.txt"]}}}""");
        repository.WriteAndApprove();

        Assert.NotNull(AcceptanceSandbox.Sync(repository.Git.Root, repository.Store));
        Assert.Equal(["../../.claude/plans", "../../mine.txt", $"../../{AcceptanceRepository.TestPath}"], DenyWrite(settings));

        repository.Workflow.Abandon(AcceptanceRepository.Id, "not needed");
        Assert.Null(AcceptanceSandbox.Sync(repository.Git.Root, repository.Store));
        Assert.Equal(["../../.claude/plans", "../../mine.txt"], DenyWrite(settings));
    }

    [Fact]
    public async Task An_approval_on_the_board_adds_the_pins_to_the_deny_list_as_the_CLI_does()
    {
        using var repository = new AcceptanceRepository();
        var settings = repository.Git.Path(AcceptanceSandbox.SettingsFile);
        repository.Git.Write(AcceptanceSandbox.SettingsFile, """{"sandbox":{"filesystem":{"denyWrite":["../../.claude/plans"]}}}""");
        repository.WritePlanAndTest();

        await using var board = await Board.BoardHost.StartAsync(repository.Git.Root);
        var path = $"/r/{McpPlanServer.Board.BoardRepository.KeysFor([repository.Git.Root])[0]}/plans/{AcceptanceRepository.Id}";
        var (_, page) = await board.GetAsync(path);
        var fields = new Dictionary<string, string>
        {
            ["csrf"] = Board.BoardHost.FormField(page, path + "/approve", "csrf"),
            ["sha256"] = Board.BoardHost.FormField(page, path + "/approve", "sha256"),
        };
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, (await board.PostAsync(path + "/approve", fields)).Status);
        Assert.Equal(["../../.claude/plans", $"../../{AcceptanceRepository.TestPath}"], DenyWrite(settings));
    }

    [Fact]
    public void Without_the_settings_file_nothing_is_written()
    {
        using var repository = new AcceptanceRepository();
        repository.WriteAndApprove();

        Assert.Null(AcceptanceSandbox.Sync(repository.Git.Root, repository.Store));
        Assert.False(File.Exists(repository.Git.Path(AcceptanceSandbox.PinsFile)));
    }

    private static List<string> DenyWrite(string settings) =>
        [.. JsonNode.Parse(File.ReadAllText(settings))!["sandbox"]!["filesystem"]!["denyWrite"]!.AsArray().Select(node => node!.GetValue<string>())];
}
