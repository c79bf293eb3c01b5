using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Storage;

namespace McpPlanServer.Http.Tokens;

/// <summary>
/// The HTTP server's bearer tokens, one file per repository in the main worktree's git directory
/// (<c>.git/mcpplan-tokens.json</c>): shared by every linked worktree like the plan store, never committed, and holding
/// only SHA-256 hashes. Changes run under a cross-process lock and replace the file atomically; a lookup compares the
/// presented token's hash with every stored hash in constant time.
/// </summary>
public sealed partial class AccessTokenStore
{
    public const string FileName = "mcpplan-tokens.json";
    private const string TokenPrefix = "mcpp_";
    private const int MaxFileBytes = 1024 * 1024;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly string gitDirectory;
    private readonly TimeProvider clock;
    private readonly Lock cacheGate = new();
    private (DateTime WrittenAt, long Length, AccessTokenDocument Document)? cache;

    public AccessTokenStore(string repositoryRoot, TimeProvider clock)
    {
        var storeRoot = SharedStoreRoot.For(repositoryRoot);
        gitDirectory = Path.Join(storeRoot, ".git");
        this.clock = clock;
        if (!Directory.Exists(gitDirectory) || new DirectoryInfo(gitDirectory).LinkTarget is not null)
        {
            throw new PlanRefusedException(
                "no_git_directory",
                $"Tokens are kept in the repository's own .git folder, and {storeRoot} has none (or it is a link). Run the command in the repository's main worktree.");
        }
    }

    public string FilePath => Path.Join(gitDirectory, FileName);

    public IReadOnlyList<AccessToken> List() => Read().Tokens;

    /// <summary>Issues a new token for <paramref name="role"/>; the name must not belong to an active token.</summary>
    public IssuedToken Create(string name, Actor role)
    {
        RequireValidName(name);
        if (role == Actor.Owner)
        {
            throw new PlanRefusedException("invalid_role", "Tokens grant an agent role (planner, implementer or observer); the owner's decisions stay in the person's terminal and on the board.");
        }

        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new AccessToken { Name = name, Role = role.ToName(), Sha256 = Hash(secret), CreatedAt = clock.GetUtcNow() };
        Change(document =>
        {
            if (document.Tokens.Any(token => token.IsActive && token.Name == name))
            {
                throw new PlanRefusedException("token_exists", $"An active token named '{name}' exists. Revoke it first (`mcpplan token revoke {name}`) or choose another name.");
            }

            return document with { Tokens = [.. document.Tokens, record] };
        });
        return new IssuedToken(secret, record);
    }

    /// <summary>Revokes the active token named <paramref name="name"/>; it is refused from the next request on.</summary>
    public AccessToken Revoke(string name)
    {
        RequireValidName(name);
        AccessToken? revoked = null;
        Change(document =>
        {
            var active = document.Tokens.FirstOrDefault(token => token.IsActive && token.Name == name)
                ?? throw new PlanRefusedException("unknown_token", $"No active token is named '{name}'. `mcpplan token list` shows the tokens.");
            revoked = active with { RevokedAt = clock.GetUtcNow() };
            return document with { Tokens = [.. document.Tokens.Select(token => ReferenceEquals(token, active) ? revoked : token)] };
        });
        return revoked!;
    }

    /// <summary>The token record whose hash matches <paramref name="presented"/> (active or revoked), or null.</summary>
    public AccessToken? Find(string presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 256)
        {
            return null;
        }

        var hash = Encoding.ASCII.GetBytes(Hash(presented));
        AccessToken? match = null;
        foreach (var token in Read().Tokens)
        {
            // Every stored hash is compared, in constant time, so timing tells nothing about which prefix matched.
            if (CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(token.Sha256)) && (match is null || token.IsActive))
            {
                match = token;
            }
        }

        return match;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static void RequireValidName(string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            throw new PlanRefusedException("invalid_name", $"Token name '{name}' is not valid: use 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (for example alice-laptop).");
        }
    }

    private void Change(Func<AccessTokenDocument, AccessTokenDocument> change)
    {
        using var held = CrossProcessLock.Acquire(Path.Join(gitDirectory, "mcpplan-tokens.lock"), LockTimeout, CancellationToken.None);
        var updated = change(ReadFromDisk().Document);
        NoFollowFile.RequireNotLink(FilePath, ".git/" + FileName);
        AtomicFile.Write(FilePath, JsonSerializer.SerializeToUtf8Bytes(updated, AccessTokenJsonContext.Default.AccessTokenDocument));
    }

    /// <summary>The tokens, re-read only when the file changed: the server checks the token on every request.</summary>
    private AccessTokenDocument Read()
    {
        var info = new FileInfo(FilePath);
        lock (cacheGate)
        {
            if (info.Exists && cache is { } cached && cached.WrittenAt == info.LastWriteTimeUtc && cached.Length == info.Length)
            {
                return cached.Document;
            }
        }

        var (stamp, document) = ReadFromDisk();
        lock (cacheGate)
        {
            cache = stamp is { } written ? (written.WrittenAt, written.Length, document) : null;
        }

        return document;
    }

    private ((DateTime WrittenAt, long Length)? Stamp, AccessTokenDocument Document) ReadFromDisk()
    {
        if (!File.Exists(FilePath) && new FileInfo(FilePath).LinkTarget is null)
        {
            return (null, new AccessTokenDocument());
        }

        using var stream = NoFollowFile.Open(FilePath, FileMode.Open, FileAccess.Read, ".git/" + FileName);
        var info = new FileInfo(FilePath);
        if (stream.Length > MaxFileBytes)
        {
            throw new PlanRefusedException("corrupt_tokens", $".git/{FileName} is larger than {MaxFileBytes} bytes; it was not written by mcpplan. Move it away and issue the tokens again.");
        }

        try
        {
            var document = JsonSerializer.Deserialize(stream, AccessTokenJsonContext.Default.AccessTokenDocument)
                ?? throw new JsonException("empty document");
            return ((info.LastWriteTimeUtc, info.Length), document);
        }
        catch (JsonException error)
        {
            throw new PlanRefusedException("corrupt_tokens", $".git/{FileName} cannot be read ({error.Message}). Move it away and issue the tokens again with `mcpplan token create`.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
