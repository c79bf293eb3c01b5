using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;
using McpPlanServer.Testing;

namespace McpPlanServer.Bench;

/// <summary>Temporary git repositories with many plans, built fast: one plan goes through the real workflow, and its
/// text and record are cloned under new ids (same shapes the server writes, without N × fsync).</summary>
public sealed class Workspace : IDisposable
{
    private Workspace(string root) => Root = root;

    public string Root { get; }

    public static Workspace Create(string name)
    {
        var root = Path.Combine(Path.GetTempPath(), $"mcpplan-bench-{name}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(root);
        Git(root, "init", "-q", "-b", "main");
        Git(root, "config", "user.name", "Bench");
        Git(root, "config", "user.email", "bench@example.com");
        File.WriteAllText(Path.Combine(root, "README.md"), "bench\n");
        Git(root, "add", "README.md");
        Git(root, "commit", "-q", "-m", "initial");
        return new Workspace(root);
    }

    public void AddPlans(int count)
    {
        var config = new PlanServerConfig();
        var store = new FilePlanStore(Root, config);
        var workflow = new PlanWorkflow(store, config, null, null, TimeProvider.System);
        workflow.WritePlan(Actor.Planner, "plan-0", PlanText("plan-0"), null);
        var review = Path.Combine(store.RootPath, "Review");
        var records = Path.Combine(store.RootPath, ".records");
        var template = File.ReadAllText(Path.Combine(records, "plan-0.json"));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(review, "plan-0.md"));
        var text = File.ReadAllText(Path.Combine(review, "plan-0.md"));
        for (var i = 1; i < count; i++)
        {
            var id = $"plan-{i}";
            var path = Path.Combine(review, id + ".md");
            File.WriteAllText(path, text);
            File.SetLastWriteTimeUtc(path, stamp);
            File.WriteAllText(Path.Combine(records, id + ".json"), template.Replace("\"id\": \"plan-0\"", $"\"id\": \"{id}\"", StringComparison.Ordinal));
        }
    }

    public static string PlanText(string id) => $"""
        # Plan: Benchmark {id}

        **Risk level**: Low

        ## Summary
        A plan used by the benchmark.

        ## Files to Modify
        ### 1. `src/file-1.txt`

        ## Implementation Steps
        1. **Edit** `src/file-1.txt`
        2. **Edit again** `src/file-1.txt`

        ## Success Criteria
        - [ ] `src/file-1.txt` contains the text "changed"
        """;

    public static string Git(string root, params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, root);
        return result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {result.Error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
