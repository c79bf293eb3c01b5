using LibGit2Sharp;

namespace McpPlanServer.Git;

/// <summary>
/// Who the person is by git's account: <c>user.name</c> and <c>user.email</c> from the repository's config, else the
/// global one, the identity their own commits carry. Used where a decision records its maker and none was named.
/// </summary>
public static class GitIdentity
{
    /// <summary>"Name &lt;email&gt;", or whichever of the two is set; null when the repository and global config set neither.</summary>
    public static string? Read(string repositoryRoot)
    {
        using var repository = new Repository(repositoryRoot);
        var name = Value(repository.Config, "user.name");
        var email = Value(repository.Config, "user.email");
        return Describe(name, email);
    }

    /// <summary>The recorded form of a git identity: both parts, one of them, or null.</summary>
    public static string? Describe(string? name, string? email) => (name, email) switch
    {
        ({ } both, { } mail) => $"{both} <{mail}>",
        ({ } only, null) => only,
        (null, { } mail) => mail,
        _ => null,
    };

    private static string? Value(Configuration config, string key)
    {
        foreach (var level in new[] { ConfigurationLevel.Local, ConfigurationLevel.Global, ConfigurationLevel.Xdg })
        {
            if (config.Get<string>(key, level)?.Value?.Trim() is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }
}
