using System.Diagnostics;
using McpPlanServer.Board;
using McpPlanServer.Cli.Composition;
using McpPlanServer.Core.Lifecycle;
using Microsoft.Playwright;

namespace McpPlanServer.Tests.Board;

/// <summary>
/// The board in a real browser: Debian's headless Chromium driven by Playwright (no browser download). It loads the
/// board for a repository with plans in every state, approves one, sees a person's <c>mv</c> in another process appear
/// without a reload, and finds that no script from plan text ran. Set MCPPLAN_BOARD_SCREENSHOTS=DIR to keep the
/// screenshots (docs/ holds the ones the README shows).
/// </summary>
[Trait("Speed", "Long")]
public sealed class BoardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_person_uses_the_board_in_chromium()
    {
        // On a developer's machine without a browser the test is skipped; in CI (.ci/run installs chromium) it must run.
        Assert.SkipWhen(!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true", $"{Chromium} is missing: apt-get install -y chromium (.ci/run does)");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does.");
        using var plans = new BoardPlans();
        var keys = BoardRepository.KeysFor([plans.Repository.Root]);
        var services = PlanServices.Open(plans.Repository.Root);
        var repository = new BoardRepository(keys[0], "payments-app", services.PlansRootPath, services.Workflow);
        await using var server = await BoardServer.StartAsync(new BoardOptions([repository], 0, "Board Person", TimeProvider.System), CancellationToken.None);
        var shots = Environment.GetEnvironmentVariable("MCPPLAN_BOARD_SCREENSHOTS") is { Length: > 0 } keep ? keep : Path.Combine(plans.Repository.Outer, "shots");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 720 } });
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        // Sign in: the token is exchanged for the cookie and leaves the address bar.
        await page.GotoAsync(server.SignInUrl);
        Assert.Equal(server.BaseAddress.ToString(), page.Url);
        foreach (var id in BoardPlans.States.Keys)
        {
            Assert.Equal(1, await page.Locator($"article[data-plan='{id}']").CountAsync());
        }

        await page.Locator("#live.on").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "board.png"), FullPage = true });

        // The hostile plan: shown as text, nothing ran, the only script is the board's own.
        await page.GotoAsync($"{server.BaseAddress}r/{keys[0]}/plans/{BoardPlans.Hostile}");
        Assert.Contains("<script>window.__pwned = 1</script>", await page.Locator("#plan-text h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => document.scripts.length"));
        Assert.Equal(0, await page.Locator("#plan-text a[href^='javascript'], #plan-text a[href^='data'], #plan-text img, #plan-text iframe").CountAsync());

        // Approve: bound to the text on the page, recorded with channel board.
        await page.GotoAsync($"{server.BaseAddress}r/{keys[0]}/plans/awaiting");
        await page.ClickAsync("#approve");
        await page.Locator(".notice").WaitForAsync();
        Assert.Contains("Approved", await page.Locator(".notice").InnerTextAsync(), StringComparison.Ordinal);
        var approved = plans.Workflow.ReadPlan("awaiting");
        Assert.Equal(PlanFolder.Active, approved.State.Folder);
        Assert.Equal("board", approved.Record.Approval?.Channel);

        await page.GotoAsync($"{server.BaseAddress}r/{keys[0]}/plans/passed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "board-plan.png"), FullPage = false });
        await page.GotoAsync($"{server.BaseAddress}numbers");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "board-numbers.png"), FullPage = true });

        // Another process changes the plans: a person's mv from Review to Active. The open page follows without a reload.
        await page.GotoAsync(server.BaseAddress.ToString());
        await page.Locator("#live.on").WaitForAsync(new LocatorWaitForOptions { Timeout = 10_000 });
        await page.EvaluateAsync("() => { window.__sameDocument = 42; }");
        var plansRoot = services.PlansRootPath;
        using (var move = Process.Start("mv", [Path.Combine(plansRoot, "Review", "waits-on-building.md"), Path.Combine(plansRoot, "Active", "waits-on-building.md")]))
        {
            await move.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, move.ExitCode);
        }

        await page.Locator(".lane-implementing article[data-plan='waits-on-building']").WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.__sameDocument"));
        Assert.Contains("not approved for its current text", await page.Locator("article[data-plan='waits-on-building']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Empty(violations);
    }
}
