namespace McpPlanServer.Board;

/// <summary>The frame of every page: title, navigation, the live region the script refreshes, and the live indicator.</summary>
internal static class PageLayout
{
    public static string Render(string title, string active, string body, string? notice = null, bool noticeIsError = false)
    {
        var page = new Html();
        page.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(title).Raw(" · mcpplan board</title>")
            .Raw("<link rel=\"stylesheet\" href=\"/static/board.css\"><script src=\"/static/board.js\" defer></script></head><body>")
            .Raw("<header class=\"top\"><a class=\"brand\" href=\"/\">mcpplan <span>board</span></a><nav>")
            .Raw(Nav("/", "Board", active == "board")).Raw(Nav("/numbers", "Numbers", active == "numbers"))
            .Raw("</nav><span id=\"live\" class=\"live\" title=\"Follows changes by any process\">live</span></header>");
        if (notice is not null)
        {
            page.Raw(noticeIsError ? "<div class=\"notice error\" role=\"alert\">" : "<div class=\"notice\" role=\"status\">").Text(notice).Raw("</div>");
        }

        page.Raw("<main id=\"content\">").Raw(body).Raw("</main></body></html>");
        return page.ToString();
    }

    private static string Nav(string href, string label, bool current) =>
        current ? $"<a href=\"{href}\" aria-current=\"page\">{label}</a>" : $"<a href=\"{href}\">{label}</a>";
}
