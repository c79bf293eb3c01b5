using LibGit2Sharp;

namespace McpPlanServer.Git;

/// <summary>A fresh repository with one commit, for the demo and for tries that must not touch a real project.</summary>
public static class ScratchRepository
{
    public static string Create(string folder, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        Repository.Init(folder);
        using var repository = new Repository(folder);
        repository.Config.Set("user.name", "Demo Person", ConfigurationLevel.Local);
        repository.Config.Set("user.email", "person@example.com", ConfigurationLevel.Local);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            Commands.Stage(repository, path);
        }

        var signature = new Signature("Demo Person", "person@example.com", DateTimeOffset.Now);
        // PrettifyMessage goes through libgit2's message buffer, which comes back empty under Native AOT.
        return repository.Commit("Initial commit\n", signature, signature, new CommitOptions { PrettifyMessage = false }).Sha;
    }
}
