using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Http.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpPlanServer.Http.Hosting;

/// <summary>
/// The HTTP server's front door, in front of every request and before any MCP message is read: the Host must name this
/// server (DNS rebinding), a browser's Origin must be one it knows, the bearer token must be an active one the person
/// issued, and a session id is honoured only with the token that opened the session. Every refusal is journaled, with
/// the token's name when there is one and never the token itself, up to <see cref="RefusalJournalLimit"/> (a flood of
/// requests without a token must not grow the journal without bound). The role the token grants is handed to the session.
/// </summary>
public sealed class HttpAccessGuard(AccessTokenStore tokens, PlanWorkflow journal, HttpServeOptions options, ILogger logger, RefusalJournalLimit journalLimit)
{
    public const string RoleItem = "mcpplan.role";
    public const string TokenItem = "mcpplan.token";
    private const string SessionHeader = "Mcp-Session-Id";

    private readonly ConcurrentDictionary<string, string> sessionOwners = new(StringComparer.Ordinal);

    /// <summary>The port the server actually listens on (known once Kestrel started; the listen port may be 0).</summary>
    public int Port { get; set; }

    public async Task Guard(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!IsAllowedHost(request.Host))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, null, "forbidden_host",
                $"Host '{request.Host}' is not this server's name. Use http://127.0.0.1:{Port}{HttpServeOptions.Path}, or start the server with --allowed-host NAME for the name a reverse proxy forwards.");
            return;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, null, "forbidden_origin",
                $"Origin '{Shorten(origin)}' may not call this server. A web page on another site cannot use your token here; the person adds a trusted origin with --allowed-origin.");
            return;
        }

        var presented = BearerToken(request);
        if (presented is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mcpplan\"";
            await Refuse(context, StatusCodes.Status401Unauthorized, null, "no_token",
                "This server needs a bearer token: send 'Authorization: Bearer <token>'. The person issues one with `mcpplan token create --role planner|implementer|observer --name NAME`.");
            return;
        }

        var token = tokens.Find(presented);
        if (token is null || !ActorNames.TryParseAgentRole(token.Role, out var role))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mcpplan\", error=\"invalid_token\"";
            await Refuse(context, StatusCodes.Status401Unauthorized, null, "unknown_token",
                "This token is not one the person issued for this repository. Ask the person for a token (`mcpplan token create`).");
            return;
        }

        if (!token.IsActive)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"mcpplan\", error=\"invalid_token\"";
            await Refuse(context, StatusCodes.Status401Unauthorized, role, "token_revoked",
                $"The token '{token.Name}' was revoked by the person. Ask the person for a new token (`mcpplan token create`).", token.Identity);
            return;
        }

        var sessionId = request.Headers[SessionHeader].ToString();
        if (sessionId.Length > 0 && sessionOwners.TryGetValue(sessionId, out var owner) && owner != token.Identity)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, role, "session_token_mismatch",
                $"This MCP session was opened with another token; the token '{token.Name}' cannot use it. Start a new session (initialize) with your own token.", token.Identity);
            return;
        }

        if (sessionId.Length == 0)
        {
            // The SDK names a new session in the response header; the session belongs to the token that opened it.
            context.Response.OnStarting(() =>
            {
                if (context.Response.Headers[SessionHeader].ToString() is { Length: > 0 } created)
                {
                    sessionOwners.TryAdd(created, token.Identity);
                }

                return Task.CompletedTask;
            });
        }
        else if (HttpMethods.IsDelete(request.Method))
        {
            context.Response.OnCompleted(() =>
            {
                if (context.Response.StatusCode < 300)
                {
                    sessionOwners.TryRemove(sessionId, out _);
                }

                return Task.CompletedTask;
            });
        }

        // The SDK binds a session to the user that opened it as well: a second, independent check of the same rule.
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, token.Identity), new Claim(ClaimTypes.Role, token.Role)], "mcpplan-token"));
        context.Items[RoleItem] = role;
        context.Items[TokenItem] = token;
        await next(context);
    }

    private bool IsAllowedHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }

        var name = host.Host;
        if (IsLoopbackName(name) || name == options.Listen.Address.ToString() || $"[{options.Listen.Address}]" == name)
        {
            return host.Port == Port;
        }

        return options.AllowedHosts.Any(allowed => string.Equals(allowed, name, StringComparison.OrdinalIgnoreCase) || string.Equals(allowed, host.Value, StringComparison.OrdinalIgnoreCase));
    }

    private bool IsAllowedOrigin(string origin)
    {
        if (options.AllowedOrigins.Any(allowed => string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
            && IsAllowedHost(new HostString(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}"))
            && (IsLoopbackName(uri.Host) ? uri.Port == Port : true);
    }

    private static bool IsLoopbackName(string name) =>
        name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header[scheme.Length..].Trim() is { Length: > 0 } value ? value : null;
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    /// <param name="bucket">Whose refusals these are, for the journal's rate limit: an issued token's identity, else anonymous.</param>
    private async Task Refuse(HttpContext context, int status, Actor? role, string code, string message, string bucket = RefusalJournalLimit.Anonymous)
    {
        var from = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var (journaled, leftOut) = journalLimit.Next(bucket);
        if (journaled)
        {
            logger.LogWarning("HTTP {Method} refused ({Code}) from {Remote}: {Message}", context.Request.Method, code, from, message);
            var earlier = leftOut == 0 ? string.Empty : $"; {leftOut} earlier refusal(s) like it were not journaled (more than {journalLimit.Limit} a minute)";
            journal.JournalRefusal(role ?? Actor.Observer, "http_request", null, new PlanRefusedException(code, $"{message} (from {from}{earlier})"), null);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNull("id");
        writer.WriteStartObject("error");
        writer.WriteNumber("code", -32001);
        writer.WriteString("message", $"{code}: {message}");
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
