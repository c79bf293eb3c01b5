using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

public sealed class ConfigFileTests
{
    [Fact]
    public void A_missing_file_means_the_documented_defaults()
    {
        using var folder = new TempFolder();

        var config = ConfigFile.Load(folder.PathOf("mcpplan.json"));

        Assert.Equal(new PlanServerConfig(), config);
        Assert.Equal(".claude/plans", config.PlansRoot);
        Assert.Equal(90, config.Threshold);
        Assert.Equal(3, config.MaxIterations);
    }

    [Fact]
    public void A_partial_file_keeps_the_defaults_of_every_setting_it_leaves_out()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mcpplan.json", "{\n  // only what differs\n  \"threshold\": 80,\n  \"verify\": { \"command\": \"make test\" },\n}");

        var config = ConfigFile.Load(path);

        Assert.Equal(80, config.Threshold);
        Assert.Equal("make test", config.Verify.Command);
        Assert.Equal(new VerifySettings().TimeoutSeconds, config.Verify.TimeoutSeconds);
        Assert.Equal(".claude/plans", config.PlansRoot);
        Assert.Equal(3, config.MaxIterations);
        Assert.Equal(PlanServerConfig.DefaultRubric, config.Rubric);
        Assert.Equal(PlanServerConfig.DefaultRequiredSections, config.RequiredSections);
        Assert.Equal(256 * 1024, config.MaxPlanBytes);
        Assert.False(config.ElicitApproval);
        Assert.Null(config.PersonChannelFromRisk);
    }

    [Fact]
    public void Person_channel_from_risk_reads_a_level_and_refuses_anything_else_naming_the_levels()
    {
        using var folder = new TempFolder();

        Assert.Equal(RiskLevel.Medium, ConfigFile.Load(folder.Write("ok.json", """{ "personChannelFromRisk": "Medium" }""")).PersonChannelFromRisk);
        var refusal = Assert.Throws<PlanRefusedException>(() => ConfigFile.Load(folder.Write("bad.json", """{ "personChannelFromRisk": "Severe" }""")));
        Assert.Contains("\"Low\", \"Medium\" or \"High\"", refusal.Message);
    }

    [Fact]
    public void A_saved_config_loads_back_with_every_setting()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(Path.Combine(".claude", "mcpplan.json"));
        var saved = new PlanServerConfig
        {
            PlansRoot = "docs/plans",
            Threshold = 75,
            MaxIterations = 5,
            Rubric = [new RubricCategory("testing", 60), new RubricCategory("security", 40)],
            RequiredSections = ["Summary"],
            Drift = DriftPolicy.Warn,
            MaxPlanBytes = 4096,
            AllowGitCommitInBash = true,
        };

        ConfigFile.Save(path, saved);
        var loaded = ConfigFile.Load(path);

        Assert.Equal(saved.PlansRoot, loaded.PlansRoot);
        Assert.Equal(saved.Threshold, loaded.Threshold);
        Assert.Equal(saved.MaxIterations, loaded.MaxIterations);
        Assert.Equal(saved.Rubric, loaded.Rubric);
        Assert.Equal(saved.RequiredSections, loaded.RequiredSections);
        Assert.Equal(saved.MaxPlanBytes, loaded.MaxPlanBytes);
        Assert.True(loaded.AllowGitCommitInBash);
        Assert.Empty(folder.TempFiles());
    }

    [Theory]
    [InlineData("{\"threshold\": 101}", "threshold is 101")]
    [InlineData("{\"maxIterations\": 0}", "maxIterations is 0")]
    [InlineData("{\"rubric\": []}", "rubric needs at least one category")]
    [InlineData("{\"rubric\": [{\"name\": \"testing\", \"weight\": 50}, {\"name\": \"testing\", \"weight\": 50}]}", "rubric names a category twice")]
    [InlineData("{\"plansRoot\": \"../x\"}", "plansRoot")]
    [InlineData("{\"treshold\": 80}", "treshold")]
    [InlineData("{\"threshold\": 80", "not valid")]
    [InlineData("{\"threshold\": \"high\"}", "threshold must be a whole number")]
    [InlineData("{\"pushRemote\": \"--upload-pack=x\"}", "pushRemote")]
    [InlineData("{\"pushRemote\": \"a/b\"}", "pushRemote")]
    public void Each_invalid_setting_is_refused_with_invalid_config_naming_the_problem(string json, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.Write("mcpplan.json", json);

        var refusal = Assert.Throws<PlanRefusedException>(() => ConfigFile.Load(path));

        Assert.Equal("invalid_config", refusal.Code);
        Assert.Contains(path, refusal.Message);
        Assert.True(refusal.Message.Contains(problem, StringComparison.Ordinal), refusal.Message);
    }

    [Fact]
    public void Save_refuses_an_invalid_config_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("mcpplan.json");

        var refusal = Assert.Throws<PlanRefusedException>(() => ConfigFile.Save(path, new PlanServerConfig { Threshold = -1 }));

        Assert.Equal("invalid_config", refusal.Code);
        Assert.False(File.Exists(path));
    }
}
