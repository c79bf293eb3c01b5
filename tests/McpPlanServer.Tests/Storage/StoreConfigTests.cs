using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>The <c>store</c> setting: read back as written, and never a password in the repository.</summary>
public sealed class StoreConfigTests
{
    [Fact]
    public void A_postgres_store_setting_is_read_and_saved_back_unchanged()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mcpplan.json", """{ "store": { "kind": "postgres", "connection": "postgres://mcpplan@db/plans", "repository": "payments-1" } }""");

        var config = ConfigFile.Load(path);
        ConfigFile.Save(path, config);

        Assert.Equal(new StoreSettings { Kind = StoreKind.Postgres, Connection = "postgres://mcpplan@db/plans", Repository = "payments-1" }, config.Store);
        Assert.Equal(config.Store, ConfigFile.Load(path).Store);
    }

    [Theory]
    [InlineData("postgres://mcpplan:secret@db/plans")]
    [InlineData("Host=db;Database=plans;Username=mcpplan;Password=secret")]
    [InlineData("Host=db;Database=plans;Username=mcpplan; pwd = secret")]
    public void A_password_in_the_config_is_refused_and_the_message_names_where_it_belongs(string connection)
    {
        using var folder = new TempFolder();
        var path = folder.Write("mcpplan.json", $$"""{ "store": { "kind": "postgres", "connection": "{{connection}}", "repository": "r" } }""");

        var refusal = Assert.Throws<PlanRefusedException>(() => ConfigFile.Load(path));

        Assert.Equal("invalid_config", refusal.Code);
        Assert.Contains("MCPPLAN_STORE", refusal.Message);
        Assert.DoesNotContain("secret", refusal.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../other")]
    [InlineData("has space")]
    public void A_postgres_store_needs_a_valid_repository_id(string? repository)
    {
        var problem = StoreSettingsCheck.Problem(new StoreSettings { Kind = StoreKind.Postgres, Repository = repository });

        Assert.NotNull(problem);
        Assert.Contains("store.repository", problem);
    }

    [Fact]
    public void The_environment_connection_replaces_the_configs()
    {
        var settings = new StoreSettings { Kind = StoreKind.Postgres, Connection = "postgres://a@db/plans", Repository = "r" };

        Assert.Equal("postgres://a:pw@db/plans", settings.EffectiveConnection(name => name == "MCPPLAN_STORE" ? "postgres://a:pw@db/plans" : null));
        Assert.Equal("postgres://a@db/plans", settings.EffectiveConnection(_ => null));
    }
}
