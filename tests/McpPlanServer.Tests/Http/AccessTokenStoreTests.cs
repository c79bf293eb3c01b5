using System.Net;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Http.Hosting;
using McpPlanServer.Http.Tokens;

namespace McpPlanServer.Tests.Http;

/// <summary>The HTTP server's token book on a real folder with a <c>.git</c> directory, and the listen address parser.</summary>
public sealed class AccessTokenStoreTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mcpplan-tokens-" + Guid.NewGuid().ToString("N")[..12]);

    public AccessTokenStoreTests() => Directory.CreateDirectory(Path.Combine(root, ".git"));

    [Fact]
    public void A_created_token_is_stored_only_as_its_hash_and_found_by_the_secret()
    {
        var store = new AccessTokenStore(root, TimeProvider.System);
        var issued = store.Create("alice", Actor.Planner);

        Assert.StartsWith("mcpp_", issued.Secret);
        Assert.True(issued.Secret.Length >= 40);
        var file = File.ReadAllText(store.FilePath);
        Assert.DoesNotContain(issued.Secret, file);
        Assert.Contains(AccessTokenStore.Hash(issued.Secret), file);
        Assert.Equal("planner", store.Find(issued.Secret)?.Role);
        Assert.Null(store.Find(issued.Secret + "x"));
        Assert.Null(store.Find(""));
        Assert.Null(new AccessTokenStore(root, TimeProvider.System).Find(issued.Secret[..^1]));
    }

    [Fact]
    public void A_revoked_token_is_found_as_revoked_and_the_name_can_be_issued_again()
    {
        var store = new AccessTokenStore(root, TimeProvider.System);
        var first = store.Create("alice", Actor.Implementer);
        Assert.Equal("token_exists", Assert.Throws<PlanRefusedException>(() => store.Create("alice", Actor.Planner)).Code);

        store.Revoke("alice");
        Assert.False(new AccessTokenStore(root, TimeProvider.System).Find(first.Secret)!.IsActive);
        var second = store.Create("alice", Actor.Planner);
        Assert.True(store.Find(second.Secret)!.IsActive);
        Assert.False(store.Find(first.Secret)!.IsActive);
        Assert.Equal("unknown_token", Assert.Throws<PlanRefusedException>(() => store.Revoke("bob")).Code);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("Alice")]
    [InlineData("")]
    [InlineData("-dash")]
    [InlineData("a b")]
    public void Invalid_names_are_refused_before_anything_is_written(string name)
    {
        var store = new AccessTokenStore(root, TimeProvider.System);
        Assert.Equal("invalid_name", Assert.Throws<PlanRefusedException>(() => store.Create(name, Actor.Planner)).Code);
        Assert.False(File.Exists(store.FilePath));
    }

    [Fact]
    public void The_owner_role_is_never_issued()
    {
        var store = new AccessTokenStore(root, TimeProvider.System);
        Assert.Equal("invalid_role", Assert.Throws<PlanRefusedException>(() => store.Create("boss", Actor.Owner)).Code);
    }

    [Fact]
    public void A_tokens_file_that_is_a_link_is_refused()
    {
        var elsewhere = Path.Combine(root, "elsewhere.json");
        File.WriteAllText(elsewhere, """{"version":1,"tokens":[]}""");
        File.CreateSymbolicLink(Path.Combine(root, ".git", AccessTokenStore.FileName), elsewhere);
        var store = new AccessTokenStore(root, TimeProvider.System);

        Assert.Equal("symlink_refused", Assert.Throws<PlanRefusedException>(() => store.Create("alice", Actor.Planner)).Code);
        Assert.Equal("""{"version":1,"tokens":[]}""", File.ReadAllText(elsewhere));
    }

    [Fact]
    public void A_folder_without_a_git_directory_is_refused()
    {
        Directory.Delete(Path.Combine(root, ".git"));
        Assert.Equal("no_git_directory", Assert.Throws<PlanRefusedException>(() => new AccessTokenStore(root, TimeProvider.System)).Code);
    }

    [Theory]
    [InlineData(null, "127.0.0.1", 7332)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("localhost:9000", "127.0.0.1", 9000)]
    [InlineData("0.0.0.0:7332", "0.0.0.0", 7332)]
    public void Listen_addresses_parse(string? value, string address, int port)
    {
        var endpoint = HttpServeOptions.ParseListen(value);
        Assert.Equal(IPAddress.Parse(address), endpoint.Address);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("example.com:80")]
    [InlineData("127.0.0.1:99999")]
    public void Bad_listen_addresses_say_what_to_give(string value) =>
        Assert.Contains("ADDRESS:PORT", Assert.Throws<ArgumentException>(() => HttpServeOptions.ParseListen(value)).Message);

    public void Dispose() => Directory.Delete(root, recursive: true);
}
