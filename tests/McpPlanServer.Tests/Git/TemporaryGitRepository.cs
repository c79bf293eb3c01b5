using System.Diagnostics;
using System.Text;
using McpPlanServer.Core.Evidence;
using McpPlanServer.Git;

namespace McpPlanServer.Tests.Git;

/// <summary>
/// A throw-away repository made with the git CLI (<c>git init -b main</c>, a known author, no signing), isolated from
/// the user's and the system's git configuration, with helpers to write files, run git and commit through the gateway.
/// </summary>
internal sealed class TemporaryGitRepository : IDisposable
{
    public const string PlansFolder = ".claude/plans";

    public TemporaryGitRepository(bool initialCommit = true)
    {
        Outer = Directory.CreateTempSubdirectory("mcpplan-git-").FullName;
        Root = Directory.CreateDirectory(System.IO.Path.Join(Outer, "repo")).FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.name", "Test Author");
        Git("config", "user.email", "author@example.test");
        Git("config", "commit.gpgsign", "false");
        Git("config", "core.autocrlf", "false");
        if (initialCommit)
        {
            Write("README.md", "readme\n");
            Git("add", "README.md");
            Git("commit", "-q", "-m", "initial");
        }

        Gateway = new GitRepositoryGateway(Root);
    }

    /// <summary>The temporary folder holding the repository, for markers that must land outside it.</summary>
    public string Outer { get; }

    public string Root { get; }

    public GitRepositoryGateway Gateway { get; }

    public string Path(string relative) => System.IO.Path.Join(Root, relative);

    public void Write(string relative, string text) => WriteBytes(relative, Encoding.UTF8.GetBytes(text));

    public void WriteBytes(string relative, byte[] bytes)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path(relative))!);
        File.WriteAllBytes(Path(relative), bytes);
    }

    /// <summary>chmod u+x (these tests run where git and POSIX modes exist).</summary>
    public void MakeExecutable(string relative)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path(relative), File.GetUnixFileMode(Path(relative)) | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates an empty lock file as a concurrent git process would, and returns its path.</summary>
    public string HoldLock(string relativeToGitDir)
    {
        var path = System.IO.Path.Join(Root, ".git", relativeToGitDir);
        File.WriteAllBytes(path, []);
        return path;
    }

    /// <summary>Writes, stages and commits one file with the git CLI; returns the new HEAD.</summary>
    public string CommitWithCli(string relative, string text, string message)
    {
        Write(relative, text);
        Git("add", "--", relative);
        Git("commit", "-q", "-m", message);
        return Head()!;
    }

    public string? Head()
    {
        var (exit, output, _) = TryGit("rev-parse", "-q", "--verify", "HEAD");
        return exit == 0 ? output.Trim() : null;
    }

    public static StepCommitRequest Request(string message, params string[]? paths) =>
        new(paths, PlansFolder, message, [new("Plan-Id", "add-widget"), new("Plan-Step", "1")]);

    public CommittedStep CommitStep(string message, params string[]? paths) =>
        Gateway.Commit(Gateway.Prepare(Request(message, paths)));

    /// <summary>Runs git and returns stdout; fails the test on a non-zero exit.</summary>
    public string Git(params string[] arguments)
    {
        var (exit, output, error) = TryGit(arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited {exit}: {error}{output}");
        }

        return output;
    }

    public (int ExitCode, string Stdout, string Stderr) TryGit(params string[] arguments)
    {
        var result = ProcessRunner.Run("git", arguments, Root, Isolated);
        return (result.ExitCode, result.Output, result.Error);
    }

    /// <summary>Git isolated from the user's configuration, never prompting, in the C locale.</summary>
    private static readonly Dictionary<string, string?> Isolated = new()
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_EDITOR"] = "true",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["LC_ALL"] = "C",
    };

    /// <summary>Starts git as a separate process (isolated from the user's configuration) and returns it running.</summary>
    public Process StartGit(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(Isolated);
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var process = ProcessRunner.Start("git", arguments, Root, variables);
        process.StandardInput.Close();
        return process;
    }

    public void Dispose() => Directory.Delete(Outer, recursive: true);
}
