using System.Net;

namespace McpPlanServer.Http.Hosting;

/// <summary>
/// How <c>mcpplan serve --http</c> listens: the address (loopback unless the person allowed a remote one), and the
/// extra Host names (a reverse proxy's public name) and browser Origins the person configured.
/// </summary>
public sealed record HttpServeOptions(IPEndPoint Listen, IReadOnlyList<string> AllowedHosts, IReadOnlyList<string> AllowedOrigins)
{
    public const int DefaultPort = 7332;

    public const string Path = "/mcp";

    /// <summary>Parses <c>ADDR:PORT</c> (<c>127.0.0.1:7332</c>, <c>[::1]:7332</c>, <c>localhost:7332</c>); port 0 picks a free one.</summary>
    public static IPEndPoint ParseListen(string? value)
    {
        if (value is null)
        {
            return new IPEndPoint(IPAddress.Loopback, DefaultPort);
        }

        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(value["localhost:".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':') && endpoint.Port is >= 0 and <= 65535
            ? endpoint
            : throw new ArgumentException($"--listen {value}: give ADDRESS:PORT, for example 127.0.0.1:{DefaultPort} or [::1]:{DefaultPort}.");
    }
}
