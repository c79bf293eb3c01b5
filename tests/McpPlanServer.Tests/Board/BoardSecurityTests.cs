using System.Net;
using McpPlanServer.Board;
using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Tests.Board;

/// <summary>The board's hard edges, tried the way a hostile page or a curious process would: wrong token, wrong Host
/// (DNS rebinding), a foreign Origin, a missing or borrowed CSRF token, and a plan whose every field carries markup.</summary>
public sealed class BoardSecurityTests : IClassFixture<BoardSecurityTests.Plans>, IAsyncLifetime
{
    private readonly Plans plans;
    private BoardHost board = null!;

    public BoardSecurityTests(Plans plans) => this.plans = plans;

    public async ValueTask InitializeAsync() => board = await BoardHost.StartAsync(plans.Fixture.Repository.Root);

    public async ValueTask DisposeAsync() => await board.DisposeAsync();

    private string PlanPath(string id) => $"/r/{BoardRepository.KeysFor([plans.Fixture.Repository.Root])[0]}/plans/{id}";

    [Fact]
    public async Task Sign_in_sets_an_http_only_strict_cookie_and_drops_the_token_from_the_address()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var response = await client.GetAsync(board.Server.SignInUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(64, board.Server.SignInUrl.Split("token=")[1].Length);
    }

    [Fact]
    public async Task Without_the_cookie_or_with_a_wrong_token_nothing_is_shown()
    {
        using var anonymous = await board.Client.SendAsync(board.Request(HttpMethod.Get, "/", signedIn: false), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("awaiting", await anonymous.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var wrongToken = await board.Client.SendAsync(board.Request(HttpMethod.Get, "/?token=" + new string('0', 64), signedIn: false), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.False(wrongToken.Headers.Contains("Set-Cookie"));

        using var forgedCookie = board.Request(HttpMethod.Get, "/", signedIn: false);
        forgedCookie.Headers.Add("Cookie", $"{BoardSecurity.CookieName}={new string('a', 64)}");
        using var forged = await board.Client.SendAsync(forgedCookie, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1:1")]
    [InlineData("localhost.evil.example:{port}")]
    public async Task A_foreign_host_name_is_refused_even_with_the_cookie(string host)
    {
        using var request = board.Request(HttpMethod.Get, "/");
        request.Headers.Host = host.Replace("{port}", board.Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var response = await board.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Fact]
    public async Task Localhost_by_name_is_accepted()
    {
        using var request = board.Request(HttpMethod.Get, "/");
        request.Headers.Host = $"localhost:{board.Server.Port}";
        using var response = await board.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_answer_carries_the_strict_content_security_policy()
    {
        foreach (var path in new[] { "/", "/numbers", PlanPath("awaiting"), "/static/board.js" })
        {
            using var response = await board.Client.SendAsync(board.Request(HttpMethod.Get, path), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(BoardSecurity.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task A_decision_from_a_foreign_origin_or_without_an_origin_is_refused_and_changes_nothing()
    {
        var (_, page) = await board.GetAsync(PlanPath("awaiting"));
        var action = PlanPath("awaiting") + "/approve";
        var fields = new Dictionary<string, string>
        {
            ["csrf"] = BoardHost.FormField(page, action, "csrf"),
            ["sha256"] = BoardHost.FormField(page, action, "sha256"),
        };

        Assert.Equal(HttpStatusCode.Forbidden, (await board.PostAsync(action, fields, origin: "http://evil.example")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await board.PostAsync(action, fields, origin: $"http://127.0.0.1:{board.Server.Port + 1}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await board.PostAsync(action, fields, origin: null)).Status);
        Assert.Equal(PlanStatus.AwaitingApproval, plans.Fixture.Workflow.ReadPlan("awaiting").State.Status);
    }

    [Fact]
    public async Task A_decision_without_the_form_csrf_token_or_with_another_forms_token_is_refused()
    {
        var (_, page) = await board.GetAsync(PlanPath("awaiting"));
        var action = PlanPath("awaiting") + "/approve";
        var sha = BoardHost.FormField(page, action, "sha256");
        Assert.Equal(HttpStatusCode.Forbidden, (await board.PostAsync(action, new Dictionary<string, string> { ["sha256"] = sha })).Status);

        // The abandon form's token, and the approve token of another plan, do not approve this one.
        var abandonToken = BoardHost.FormField(page, PlanPath("awaiting") + "/abandon", "csrf");
        Assert.Equal(HttpStatusCode.Forbidden, (await board.PostAsync(action, new Dictionary<string, string> { ["csrf"] = abandonToken, ["sha256"] = sha })).Status);
        var (_, other) = await board.GetAsync(PlanPath("waits-on-building"));
        var otherToken = BoardHost.FormField(other, PlanPath("waits-on-building") + "/approve", "csrf");
        Assert.Equal(HttpStatusCode.Forbidden, (await board.PostAsync(action, new Dictionary<string, string> { ["csrf"] = otherToken, ["sha256"] = sha })).Status);
        Assert.Equal(PlanStatus.AwaitingApproval, plans.Fixture.Workflow.ReadPlan("awaiting").State.Status);
    }

    [Fact]
    public async Task The_hostile_plan_is_shown_as_text_with_no_markup_or_unsafe_link_of_its_own()
    {
        var (status, page) = await board.GetAsync(PlanPath(BoardPlans.Hostile));
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, boardPage) = await board.GetAsync("/");
        foreach (var html in new[] { page, boardPage })
        {
            Assert.Single(AllIndexes(html, "<script"));  // the board's own script tag only
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<svg onload", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<b onclick", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href=\"data:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"onmouseover=\"", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("src=\"https://tracker", html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com/docs\"", page, StringComparison.Ordinal);
        Assert.Contains("href=\"#files-to-create\"", page, StringComparison.Ordinal);
        Assert.Contains("click me", page, StringComparison.Ordinal);
    }

    private static List<int> AllIndexes(string text, string value)
    {
        var found = new List<int>();
        for (var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            found.Add(at);
        }

        return found;
    }

    /// <summary>One repository for the class: these tests refuse changes, so they share it.</summary>
    public sealed class Plans : IDisposable
    {
        internal BoardPlans Fixture { get; } = new();

        public void Dispose() => Fixture.Dispose();
    }
}
