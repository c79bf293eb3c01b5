using System.Text;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Git;

/// <summary>
/// commit_step stores what <c>git add</c> stores: the oracle in every case is the git CLI itself. After the step commit,
/// <c>git add</c> re-stages the same files from the working tree with git's own conversions; if git would have stored
/// anything else (another blob, another mode), the index then differs from HEAD.
/// </summary>
public sealed class StepCommitConversionTests : IDisposable
{
    private const string Crlf = "one\r\ntwo\r\n";

    private readonly TemporaryGitRepository repository = new();

    public static TheoryData<string, string?, string?, string> Conversions => new()
    {
        // name, .gitattributes, core.autocrlf, file content
        { "no attributes, autocrlf false", null, "false", Crlf },
        { "no attributes, autocrlf true", null, "true", Crlf },
        { "no attributes, autocrlf input", null, "input", Crlf },
        { "text=auto eol=lf", "* text=auto eol=lf\n", "false", Crlf },
        { "text=auto eol=crlf", "* text=auto eol=crlf\n", "false", Crlf },
        { "text=auto with autocrlf true", "* text=auto\n", "true", Crlf },
        { "text (forced)", "*.txt text\n", "false", "mixed\r\nendings\nhere\r\n" },
        { "text=auto, mixed endings", "* text=auto\n", "false", "mixed\r\nendings\nhere\r\n" },
        { "-text", "*.txt -text\n", "true", Crlf },
        { "binary attribute", "*.txt binary\n", "true", Crlf },
        { "text=auto, binary content with NUL", "* text=auto eol=lf\n", "true", "bin\r\n\0ary\r\n" },
        { "core.eol=crlf only affects checkout", "* text\n", null, Crlf },
        { "ident", "*.txt ident text\n", "false", "$Id: stale $\r\nbody\r\n" },
        { "LF content stays LF", "* text=auto eol=crlf\n", "true", "one\ntwo\n" },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public void The_blob_commit_step_stores_is_the_blob_git_add_stores(string name, string? attributes, string? autocrlf, string content)
    {
        if (attributes is not null)
        {
            repository.CommitWithCli(".gitattributes", attributes, "attributes");
        }

        if (autocrlf is not null)
        {
            repository.Git("config", "core.autocrlf", autocrlf);
        }
        else
        {
            repository.Git("config", "core.eol", "crlf");
        }

        repository.WriteBytes("file.txt", Encoding.UTF8.GetBytes(content));

        repository.CommitStep("Add the file", "file.txt");

        AssertGitAddWouldStoreTheSame(name, "file.txt");
    }

    [Fact]
    public void A_crlf_file_under_text_auto_eol_lf_lands_in_history_with_lf()
    {
        repository.CommitWithCli(".gitattributes", "* text=auto eol=lf\n", "attributes");
        repository.WriteBytes("src/app.cs", Encoding.UTF8.GetBytes("class A\r\n{\r\n}\r\n"));

        repository.CommitStep("Add app", "src/app.cs");

        Assert.Equal("class A\n{\n}\n", repository.Git("cat-file", "blob", "HEAD:src/app.cs"));
        Assert.Equal(string.Empty, repository.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_executable_bit_a_symlink_and_a_deletion_are_stored_as_git_stores_them()
    {
        repository.CommitWithCli("gone.txt", "gone\n", "add gone");
        repository.CommitWithCli(".gitattributes", "* text=auto eol=lf\n", "attributes");
        repository.WriteBytes("run.sh", Encoding.UTF8.GetBytes("#!/bin/sh\r\necho hi\r\n"));
        repository.MakeExecutable("run.sh");
        File.CreateSymbolicLink(repository.Path("alias.sh"), "run.sh");
        File.Delete(repository.Path("gone.txt"));

        repository.CommitStep("Script, alias, deletion", "run.sh", "alias.sh", "gone.txt");

        AssertGitAddWouldStoreTheSame("mode, link and deletion", "run.sh", "alias.sh", "gone.txt");
        Assert.Contains("120000", repository.Git("ls-tree", "HEAD", "alias.sh"), StringComparison.Ordinal);
        Assert.Contains("100755", repository.Git("ls-tree", "HEAD", "run.sh"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_routed_through_an_external_filter_is_refused_with_nothing_changed_and_the_filter_never_runs()
    {
        var filterMarker = Path.Join(repository.Outer, "filter-ran");
        repository.Git("config", "filter.marker.clean", $"sh -c 'touch \"{filterMarker}\"; tr a-z A-Z'");
        repository.Git("config", "filter.marker.required", "true");
        repository.CommitWithCli(".gitattributes", "*.dat filter=marker\n", "attributes");
        repository.Write("data.dat", "lower case\n");
        var before = RepositorySnapshot.Take(repository);

        var refusal = Assert.Throws<PlanRefusedException>(() => repository.CommitStep("Add data", "data.dat"));

        Assert.Equal("external_filter", refusal.Code);
        Assert.Contains("data.dat (filter=marker)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was committed", refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(filterMarker), "the clean filter ran");
        before.AssertUnchanged(repository);
    }

    [Fact]
    public void An_lfs_path_among_other_files_refuses_the_whole_step_and_names_only_that_path()
    {
        repository.CommitWithCli(".gitattributes", "*.psd filter=lfs diff=lfs merge=lfs -text\n", "attributes");
        repository.Write("art/cover.psd", "pretend this is 200 MB\n");
        repository.Write("src/code.txt", "code\n");
        var before = RepositorySnapshot.Take(repository);

        var explicitPaths = Assert.Throws<PlanRefusedException>(() => repository.CommitStep("Add both", "src/code.txt", "art/cover.psd"));
        var defaultPaths = Assert.Throws<PlanRefusedException>(() => repository.CommitStep("Add both", null));

        foreach (var refusal in new[] { explicitPaths, defaultPaths })
        {
            Assert.Equal("external_filter", refusal.Code);
            Assert.Contains("art/cover.psd (filter=lfs)", refusal.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("src/code.txt", refusal.Message, StringComparison.Ordinal);
        }

        before.AssertUnchanged(repository);
        var withoutTheLfsFile = repository.CommitStep("Code only", "src/code.txt");
        Assert.Equal("src/code.txt", Assert.Single(withoutTheLfsFile.Files).Path);
    }

    [Fact]
    public void With_git_lfs_installed_git_would_store_a_pointer_and_commit_step_still_refuses_instead_of_storing_the_content()
    {
        // Skipped on a developer's machine without git-lfs; in CI (.ci/run installs it) it must run.
        var installed = repository.TryGit("lfs", "version").ExitCode == 0;
        Assert.SkipWhen(!installed && Environment.GetEnvironmentVariable("CI") != "true", "git-lfs is not installed (.ci/run installs it)");
        Assert.True(installed, "git-lfs is missing: apt-get install -y git-lfs (.ci/run does)");
        repository.Git("lfs", "install", "--local");
        repository.CommitWithCli(".gitattributes", "*.psd filter=lfs diff=lfs merge=lfs -text\n", "attributes");
        repository.Write("cover.psd", "large binary content\n");
        var before = RepositorySnapshot.Take(repository);

        var refusal = Assert.Throws<PlanRefusedException>(() => repository.CommitStep("Add cover", "cover.psd"));

        Assert.Equal("external_filter", refusal.Code);
        before.AssertUnchanged(repository);
        repository.Git("add", "cover.psd");
        Assert.StartsWith("version https://git-lfs.github.com/spec/v1", repository.Git("cat-file", "blob", ":cover.psd"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_working_tree_encoding_path_is_refused_because_libgit2_cannot_convert_it()
    {
        repository.CommitWithCli(".gitattributes", "*.txt working-tree-encoding=UTF-16LE\n", "attributes");
        repository.WriteBytes("utf16.txt", Encoding.Unicode.GetBytes("text\n"));

        var refusal = Assert.Throws<PlanRefusedException>(() => repository.CommitStep("Add utf16", "utf16.txt"));

        Assert.Equal("external_filter", refusal.Code);
        Assert.Contains("utf16.txt (working-tree-encoding=UTF-16LE)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Uncommitted_changes_name_the_files_only_git_can_commit()
    {
        repository.CommitWithCli(".gitattributes", "*.psd filter=lfs -text\n", "attributes");
        repository.Write("cover.psd", "content\n");
        repository.Write("plain.txt", "plain\n");

        var changes = repository.Gateway.UncommittedChanges(TemporaryGitRepository.PlansFolder);

        Assert.Equal("filter=lfs", Assert.Single(changes, change => change.Path == "cover.psd").ExternalConversion);
        Assert.Null(Assert.Single(changes, change => change.Path == "plain.txt").ExternalConversion);
    }

    [Fact]
    public void The_native_library_the_attribute_reader_binds_to_is_the_one_libgit2sharp_ships()
    {
        // A LibGit2Sharp upgrade renames the native library; this fails here rather than in a user's commit_step.
        using var attributes = new McpPlanServer.Git.GitAttributes(repository.Root);
        Assert.Null(attributes.FilterDriver("README.md"));
    }

    private void AssertGitAddWouldStoreTheSame(string name, params string[] paths)
    {
        repository.Git("add", "-A");
        var staged = repository.Git(["diff", "--cached", "--name-status", "--", .. paths]);
        Assert.True(staged.Length == 0, $"{name}: git add would store something else than commit_step did:\n{staged}");
    }

    public void Dispose() => repository.Dispose();
}
