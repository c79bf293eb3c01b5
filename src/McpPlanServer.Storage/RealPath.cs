namespace McpPlanServer.Storage;

/// <summary>
/// Where a path leads on disk: every existing symlink component is followed, the way the kernel would when the
/// tool writes. <c>..</c> is applied after a link is followed (physically), never lexically before it, so
/// <c>link/../x</c> cannot disguise a write into the place the link points at. Missing components are kept as written.
/// </summary>
public static class RealPath
{
    // The kernel gives up after 40 links (ELOOP); so do we, instead of looping on a cycle.
    private const int MaxLinkHops = 40;

    public static string Resolve(string path, string baseDirectory)
    {
        var absolute = Path.IsPathRooted(path) ? path : Path.Join(baseDirectory, path);
        var root = Path.GetPathRoot(absolute);
        if (string.IsNullOrEmpty(root))
        {
            throw new IOException($"'{path}' cannot be made absolute; an absolute base folder is needed.");
        }

        var pending = new Stack<string>();
        PushComponents(pending, absolute[root.Length..]);
        var current = root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            var linkTarget = ReadLink(next);
            if (linkTarget is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"'{path}' goes through more than {MaxLinkHops} symbolic links (a cycle?).");
            }

            if (Path.IsPathRooted(linkTarget))
            {
                current = Path.GetPathRoot(linkTarget)!;
                linkTarget = linkTarget[current.Length..];
            }

            PushComponents(pending, linkTarget);
        }

        return current;
    }

    private static void PushComponents(Stack<string> pending, string relative)
    {
        var parts = relative.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static string? ReadLink(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            return info.LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
