using System.Security.Cryptography;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>A real temporary git repository (made with the git CLI), removed when the test ends.</summary>
public sealed class TestRepository : IDisposable
{
    private TestRepository(string root) => Root = root;

    public string Root { get; }

    public string PlansRoot => System.IO.Path.Combine(Root, ".claude", "plans");

    /// <summary>The mcpplan this repository's servers and owner commands run: the built one, or for example the Native AOT one.</summary>
    public string Executable { get; set; } = Support.Executable.Path;

    public static async Task<TestRepository> CreateAsync(bool withInitialCommit = true)
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mcpplan-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var repository = new TestRepository(root);
        await repository.GitAsync("init", "-q", "-b", "main");
        await repository.GitAsync("config", "user.name", "Test Person");
        await repository.GitAsync("config", "user.email", "person@example.com");
        await repository.GitAsync("config", "commit.gpgsign", "false");
        if (withInitialCommit)
        {
            repository.WriteFile("README.md", "# scratch\n");
            await repository.GitAsync("add", "README.md");
            await repository.GitAsync("commit", "-q", "-m", "initial");
        }

        return repository;
    }

    /// <summary>A <c>git clone</c> of <paramref name="origin"/> at the same folder depth (so relative links resolve alike).</summary>
    public static async Task<TestRepository> CloneAsync(TestRepository origin)
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mcpplan-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var cloned = await ProcessRunner.RunAsync("git", ["clone", "-q", origin.Root, root], System.IO.Path.GetTempPath());
        return cloned.ExitCode == 0 ? new TestRepository(root) : throw new InvalidOperationException($"git clone failed: {cloned}");
    }

    /// <summary>A linked worktree of this repository (<c>git worktree add -b BRANCH PATH</c>), at a path relative to this root.</summary>
    public async Task<TestRepository> AddWorktreeAsync(string relativePath, string branch)
    {
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relativePath));
        await GitAsync("worktree", "add", "-q", "-b", branch, root);
        return new TestRepository(root);
    }

    /// <summary>A worktree the server made (a plan's own <c>.claude/worktrees/plan-ID</c>); removed with the repository it is in.</summary>
    public static TestRepository Existing(string root) => new(root);

    public void WriteFile(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Root, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public async Task<string> GitAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", arguments, Root);
        return result.ExitCode == 0 ? result.Output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {result}");
    }

    /// <summary>The owner's CLI as the person runs it: scrubbed environment, outside the test runner's ancestry.</summary>
    public Task<ProcessResult> CliAsync(params string[] arguments) =>
        PersonContext.RunAsync(Executable, [.. arguments, "--repo", Root], Root);

    /// <summary>The person reads the plan with <c>mcpplan show</c> and approves the hash it printed (a refusal when
    /// show prints no approve command, for example because another process approved it first).</summary>
    public async Task<ProcessResult> ApproveAsync(string id, params string[] options)
    {
        var shown = await CliAsync("show", id);
        return ShownSha(shown) is { } sha
            ? await CliAsync(["approve", id, "--sha", sha, .. options])
            : new ProcessResult(1, shown.Output, $"mcpplan show {id} printed no approve command: {shown}");
    }

    /// <summary>The hash prefix in the approve command that <c>mcpplan show ID</c> prints.</summary>
    public async Task<string> ShaAsync(string id) =>
        ShownSha(await CliAsync("show", id)) ?? throw new InvalidOperationException($"mcpplan show {id} printed no approve command.");

    private static string? ShownSha(ProcessResult shown) =>
        System.Text.RegularExpressions.Regex.Match(shown.Output, @"--sha ([0-9a-f]{16})") is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>
    /// Every file under the repository except git's own storage and the journal (refusals are journaled by design),
    /// with a hash of its content: equal snapshots mean nothing on disk changed.
    /// </summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(Root, file).Replace('\\', '/');
            if (relative.StartsWith(".git/", StringComparison.Ordinal) || relative.EndsWith("journal.jsonl", StringComparison.Ordinal) || relative.EndsWith("/.lock", StringComparison.Ordinal))
            {
                continue;
            }

            files[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return files;
    }

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold a file for a moment; the temp folder is disposable.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
