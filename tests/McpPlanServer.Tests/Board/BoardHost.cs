using System.Net;
using McpPlanServer.Board;
using McpPlanServer.Cli.Composition;

namespace McpPlanServer.Tests.Board;

/// <summary>A real board (Kestrel on 127.0.0.1, port 0) over real repositories, and an HttpClient signed in to it.</summary>
internal sealed class BoardHost : IAsyncDisposable
{
    private BoardHost(BoardServer server, string cookie)
    {
        Server = server;
        Cookie = cookie;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
    }

    public BoardServer Server { get; }

    /// <summary>The <c>Cookie</c> header value the sign-in gave.</summary>
    public string Cookie { get; }

    public HttpClient Client { get; }

    public string Origin => $"http://127.0.0.1:{Server.Port}";

    public static async Task<BoardHost> StartAsync(params string[] repositoryRoots)
    {
        var keys = BoardRepository.KeysFor(repositoryRoots);
        var repositories = repositoryRoots.Select((root, index) =>
        {
            var services = PlanServices.Open(root);
            return new BoardRepository(keys[index], Path.GetFileName(root), services.PlansRootPath, services.Workflow);
        }).ToList();
        var server = await BoardServer.StartAsync(new BoardOptions(repositories, 0, "Board Person", TimeProvider.System) { PollInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);
        using var signIn = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var response = await signIn.GetAsync(server.SignInUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        return new BoardHost(server, setCookie.Split(';')[0]);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, bool signedIn = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (signedIn)
        {
            request.Headers.Add("Cookie", Cookie);
        }

        return request;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form as the board's own page would: same Origin, the cookie, and the given fields.</summary>
    public async Task<(HttpStatusCode Status, string Body, Uri? Location)> PostAsync(string path, IReadOnlyDictionary<string, string> fields, string? origin = "")
    {
        using var request = Request(HttpMethod.Post, path);
        request.Content = new FormUrlEncodedContent(fields);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin.Length == 0 ? Origin : origin);
        }

        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>Reads the value of a hidden field of the form posting to <paramref name="action"/> from a page.</summary>
    public static string FormField(string page, string action, string field)
    {
        var form = page.IndexOf($"action=\"{action}\"", StringComparison.Ordinal);
        Assert.True(form >= 0, $"no form posting to {action}");
        var marker = $"name=\"{field}\" value=\"";
        var start = page.IndexOf(marker, form, StringComparison.Ordinal) + marker.Length;
        return page[start..page.IndexOf('"', start)];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
