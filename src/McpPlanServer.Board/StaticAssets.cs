using Microsoft.AspNetCore.Http;

namespace McpPlanServer.Board;

/// <summary>The script and style sheet, read once from the assembly's embedded resources.</summary>
internal static class StaticAssets
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType)> Assets = new(StringComparer.Ordinal)
    {
        ["board.js"] = (Read("board.js"), "text/javascript; charset=utf-8"),
        ["board.css"] = (Read("board.css"), "text/css; charset=utf-8"),
    };

    public static async Task Serve(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string;
        if (name is null || !Assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        await context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The board's embedded asset {name} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
