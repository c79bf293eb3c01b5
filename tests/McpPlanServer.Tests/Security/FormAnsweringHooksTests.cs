using McpPlanServer.Mcp.Hosting;
using McpPlanServer.Tests.Storage;

namespace McpPlanServer.Tests.Security;

public sealed class FormAnsweringHooksTests
{
    [Fact]
    public void Every_scope_claude_code_reads_is_looked_at()
    {
        var files = FormAnsweringHooks.SettingsFiles("/repo", "/home/ada", null);

        Assert.Contains(Path.Combine("/home/ada", ".claude", "settings.json"), files);
        Assert.Contains(Path.Combine("/repo", ".claude", "settings.json"), files);
        Assert.Contains(Path.Combine("/repo", ".claude", "settings.local.json"), files);
        Assert.Contains(files, file => file.Contains("managed-settings.json", StringComparison.Ordinal));
        Assert.Contains(Path.Combine("/cfg", "settings.json"), FormAnsweringHooks.SettingsFiles("/repo", "/home/ada", "/cfg"));
    }

    [Fact]
    public void Hooks_that_answer_forms_are_found_and_others_are_not()
    {
        using var folder = new TempFolder();
        var answering = folder.Write("a.json", """{ "hooks": { "PreToolUse": [], "Elicitation": [ { "hooks": [ { "type": "command", "command": "x" } ] } ] } }""");
        var rewriting = folder.Write("b.json", """{ "hooks": { "ElicitationResult": [] } }""");
        var harmless = folder.Write("c.json", """{ "hooks": { "PreToolUse": [ { "matcher": "Bash" } ] }, "permissions": {} }""");
        var missing = folder.PathOf("missing.json");

        var findings = FormAnsweringHooks.Find([answering, rewriting, harmless, missing]);

        Assert.Equal([$"{answering} has a Elicitation hook", $"{rewriting} has a ElicitationResult hook"], findings);
    }

    [Fact]
    public void A_settings_file_that_cannot_be_read_keeps_the_form_away()
    {
        using var folder = new TempFolder();
        var broken = folder.Write("settings.json", "{ \"hooks\": ");

        var finding = Assert.Single(FormAnsweringHooks.Find([broken]));

        Assert.Contains("cannot be ruled out", finding);
    }
}
