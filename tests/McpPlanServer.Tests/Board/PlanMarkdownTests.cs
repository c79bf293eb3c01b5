using McpPlanServer.Board;

namespace McpPlanServer.Tests.Board;

public sealed class PlanMarkdownTests
{
    [Theory]
    [InlineData("https://example.com/a", true)]
    [InlineData("http://example.com", true)]
    [InlineData("HTTPS://EXAMPLE.COM", true)]
    [InlineData("#section", true)]
    [InlineData("docs/readme.md", true)]
    [InlineData("/r/x/plans/y", true)]
    [InlineData("?a=b:c", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("JavaScript:alert(1)", false)]
    [InlineData("java\tscript:alert(1)", false)]
    [InlineData(" javascript:alert(1)", false)]
    [InlineData("java\nscript:alert(1)", false)]
    [InlineData("data:text/html,<script>", false)]
    [InlineData("vbscript:msgbox", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("//evil.example/x", false)]
    [InlineData("\\\\evil.example\\x", false)]
    [InlineData("", false)]
    public void Only_http_https_relative_and_fragment_links_are_safe(string url, bool safe) =>
        Assert.Equal(safe, PlanMarkdown.IsSafeUrl(url));

    [Fact]
    public void Raw_html_is_text_unsafe_links_keep_only_their_words_and_images_become_alt_text()
    {
        var html = PlanMarkdown.ToHtml("""
            <script>alert(1)</script>

            [go](javascript:alert(2)) [ref][r] <javascript:alert(3)> ![pic](https://tracker.example/p.png) [ok](https://example.com)
            <b onclick="x">b</b> {onclick=alert(4)}

            [r]: vbscript:msgbox
            """);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:alert(2)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"vbscript", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick=\"", html, StringComparison.Ordinal);
        Assert.Contains("go", html, StringComparison.Ordinal);
        Assert.Contains("pic", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com\">ok</a>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }
}
