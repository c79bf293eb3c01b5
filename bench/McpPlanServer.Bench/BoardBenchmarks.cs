using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace McpPlanServer.Bench;

/// <summary>
/// `mcpplan board` measured from outside: the board and a plan page (server time from the Server-Timing header, and
/// the loopback round trip), change-to-page latency through server-sent events (a plan renamed between folders by this
/// process, to the event arriving and the page fetched again), and the board process's peak RSS.
/// </summary>
public sealed class BoardBenchmarks(string exe)
{
    public async Task<IReadOnlyList<(string Measure, string Value, string Target)>> RunAsync(int count)
    {
        using var workspace = Workspace.Create($"board{count}");
        workspace.AddPlans(count);
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "board", "--repo", workspace.Root, "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        using var board = Process.Start(start)!;
        try
        {
            string? url = null;
            while (url is null && await board.StandardOutput.ReadLineAsync() is { } line)
            {
                url = line.Contains("token=", StringComparison.Ordinal) ? line.Trim() : null;
            }

            var signIn = new Uri(url ?? throw new InvalidOperationException("mcpplan board printed no URL: " + await board.StandardError.ReadToEndAsync()));
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(signIn.GetLeftPart(UriPartial.Authority)) };
            using var signedIn = await client.GetAsync(signIn);
            var cookie = signedIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
            client.DefaultRequestHeaders.Add("Cookie", cookie);

            var key = Path.GetFileName(workspace.Root).ToLowerInvariant();
            var (boardServer, boardTrip) = await TimePageAsync(client, "/", 40);
            var (planServer, planTrip) = await TimePageAsync(client, $"/r/{key}/plans/plan-{count / 2}", 200);
            var latency = await ChangeToPageAsync(client, workspace.Root, 30);
            var peak = PeakRssMegabytes(board.Id);
            var plans = count.ToString("N0", CultureInfo.InvariantCulture);
            return
            [
                ($"board page with {plans} plans: server p50 / p99 (round trip p50)", $"{Stats.Ms(boardServer.Median)} / {Stats.Ms(boardServer.P99)} ({Stats.Ms(boardTrip.Median)})", count == 1_000 ? "≤ 50 ms" : string.Empty),
                ($"plan page with {plans} plans: server p50 / p99 (round trip p50)", $"{Stats.Ms(planServer.Median)} / {Stats.Ms(planServer.P99)} ({Stats.Ms(planTrip.Median)})", count == 1_000 ? "≤ 50 ms" : string.Empty),
                ($"change → event → page fetched, {plans} plans: p50 / p99", $"{Stats.Ms(latency.Median)} / {Stats.Ms(latency.P99)}", "p99 ≤ 1 s"),
                ($"peak RSS of the board process, {plans} plans", $"{peak:0.0} MB", string.Empty),
            ];
        }
        finally
        {
            board.Kill();
            await board.WaitForExitAsync();
        }
    }

    private static async Task<(Stats Server, Stats RoundTrip)> TimePageAsync(HttpClient client, string path, int runs)
    {
        var server = new List<double>();
        var trips = new List<double>();
        for (var i = 0; i < runs + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK || body.Length < 100)
            {
                throw new InvalidOperationException($"GET {path}: {response.StatusCode}");
            }

            // The first requests build the page model (and JIT in a framework-dependent build): not what a person waits for later.
            if (i >= 3)
            {
                var timing = response.Headers.GetValues("Server-Timing").Single();
                server.Add(double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture));
                trips.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return (new Stats(server), new Stats(trips));
    }

    /// <summary>A plan moved from Review to Active (then back) by this process, as a person's mv: time until the open
    /// event stream says so and the board page, fetched again, shows it in its new lane.</summary>
    private static async Task<Stats> ChangeToPageAsync(HttpClient client, string root, int rounds)
    {
        using var events = await client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        var review = Path.Combine(root, ".claude", "plans", "Review", "plan-1.md");
        var active = Path.Combine(root, ".claude", "plans", "Active", "plan-1.md");
        Directory.CreateDirectory(Path.GetDirectoryName(active)!);
        var samples = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var (from, to, lane) = i % 2 == 0 ? (review, active, "lane-implementing") : (active, review, "lane-review");
            var watch = Stopwatch.StartNew();
            File.Move(from, to);
            while (await reader.ReadLineAsync() is { } line && !line.StartsWith("event: changed", StringComparison.Ordinal))
            {
            }

            var page = await client.GetStringAsync("/");
            watch.Stop();
            var laneStart = page.IndexOf($"lane {lane}", StringComparison.Ordinal);
            var shown = laneStart >= 0 && page.IndexOf("data-plan=\"plan-1\"", laneStart, StringComparison.Ordinal) is var at && at > laneStart
                && page.IndexOf("<div class=\"lane ", laneStart + 1, StringComparison.Ordinal) is var next && (next < 0 || at < next);
            if (shown)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }

            await Task.Delay(150);
        }

        return new Stats(samples);
    }

    private static double PeakRssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(text => text.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
