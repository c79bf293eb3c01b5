using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace McpPlanServer.Board;

/// <summary>
/// The board's access rules. A random 256-bit token, kept only in this process's memory, is printed to the person's
/// terminal; the first visit exchanges it for an HttpOnly, SameSite=Strict cookie. Every request must name the board by
/// its loopback address (DNS rebinding), state-changing requests must come from the board's own origin and carry the
/// form's CSRF token (an HMAC of the form's purpose under a second in-memory key).
/// </summary>
internal sealed class BoardSecurity
{
    public const string CookieName = "mcpplan_board";
    public const string CsrfField = "csrf";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private readonly byte[] csrfKey = RandomNumberGenerator.GetBytes(32);

    public string Token { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public int Port { get; set; }

    /// <summary>Only the loopback names, with the board's port: a page on another origin resolving to 127.0.0.1 sends its own Host.</summary>
    public bool IsAllowedHost(HostString host) =>
        host.Port == Port && (host.Host == "127.0.0.1" || host.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase));

    public bool IsOwnOrigin(string? origin) =>
        origin == $"http://127.0.0.1:{Port}" || string.Equals(origin, $"http://localhost:{Port}", StringComparison.OrdinalIgnoreCase);

    public bool IsToken(string? candidate) => candidate is not null && FixedTimeEquals(candidate, Token);

    /// <summary>The CSRF token of one form: bound to the action and the plan it changes.</summary>
    public string CsrfFor(string purpose) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(csrfKey, Encoding.UTF8.GetBytes(purpose)));

    public bool IsCsrfFor(string? candidate, string purpose) => candidate is not null && FixedTimeEquals(candidate, CsrfFor(purpose));

    private static bool FixedTimeEquals(string candidate, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), Encoding.UTF8.GetBytes(expected));

    /// <summary>The middleware: headers on every answer, then Host, token or cookie, and Origin for anything but GET/HEAD.</summary>
    public async Task Guard(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        var started = Stopwatch.GetTimestamp();
        response.OnStarting(() =>
        {
            // Pages are rendered in full before the first byte, so this is the server's time for the page (bench/ reads it).
            response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}");
            return Task.CompletedTask;
        });
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which the Origin check refuses.
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";

        var request = context.Request;
        if (!IsAllowedHost(request.Host))
        {
            await Refuse(context, StatusCodes.Status421MisdirectedRequest, "This board answers only to http://127.0.0.1:" + Port + "/ (or localhost). Open the URL printed in the terminal.");
            return;
        }

        if (request.Path.StartsWithSegments("/static") && HttpMethods.IsGet(request.Method))
        {
            // The board's own script and style sheet hold no data: the sign-in and refusal pages need them too.
            await next(context);
            return;
        }

        if (request.Query.TryGetValue("token", out var offered))
        {
            if (!IsToken(offered.ToString()))
            {
                await Refuse(context, StatusCodes.Status401Unauthorized, "That token is not this board's. Open the URL printed in the terminal where `mcpplan board` runs.");
                return;
            }

            response.Cookies.Append(CookieName, Token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });

            // Drop the token from the address bar and history at once.
            response.Redirect(request.Path.HasValue && request.Path != "/" ? request.Path.Value! : "/", permanent: false);
            return;
        }

        if (!IsToken(request.Cookies[CookieName]))
        {
            await Refuse(context, StatusCodes.Status401Unauthorized, "Not signed in to this board. Open the URL with the token printed in the terminal where `mcpplan board` runs.");
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            if (!IsOwnOrigin(request.Headers.Origin.ToString()) || request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site != "same-origin")
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "Refused: this request did not come from the board's own page (Origin " + request.Headers.Origin + ").");
                return;
            }
        }

        await next(context);
    }

    public static async Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var page = new Html()
            .Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>mcpplan board</title><link rel=\"stylesheet\" href=\"/static/board.css\"></head><body><main class=\"refusal\"><h1>mcpplan board</h1><p>")
            .Text(message)
            .Raw("</p></main></body></html>");
        await context.Response.WriteAsync(page.ToString());
    }
}
