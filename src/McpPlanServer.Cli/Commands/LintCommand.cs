using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Plans;

namespace McpPlanServer.Cli.Commands;

/// <summary><c>mcpplan lint FILE</c>: the linter on any markdown file; exit 1 when it has errors.</summary>
public static class LintCommand
{
    public static int Run(string file, PlanServerConfig config, TextWriter output)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"{file}: no such file.");
        }

        var text = PlanText.Decode(File.ReadAllBytes(file), config.MaxPlanBytes);
        var report = PlanLinter.Lint(PlanParser.Parse(text), new LintOptions(config.RequiredSections));
        output.Write(report.Format(Path.GetFileName(file)));
        return report.HasErrors ? 1 : 0;
    }
}
