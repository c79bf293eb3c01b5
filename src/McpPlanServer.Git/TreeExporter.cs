using LibGit2Sharp;
using McpPlanServer.Core.Paths;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Git;

/// <summary>
/// Writes a commit's tree into a folder from the blobs themselves — no libgit2 checkout, no index, no filters, no
/// hooks — so the verification sees exactly what was committed. Entry names come from an untrusted repository: a name
/// that could leave the folder (empty, ".", "..", a separator, ".git") is refused, and a symbolic link is made only when
/// its target stays inside the folder (otherwise it is written as a file holding the link text, as git does without
/// symlink support). Submodules are left out: their content is not in this repository.
/// </summary>
internal static class TreeExporter
{
    public static void Export(Tree tree, string destination)
    {
        var root = Path.GetFullPath(destination);
        Write(tree, root, root);
    }

    private static void Write(Tree tree, string folder, string root)
    {
        Directory.CreateDirectory(folder);
        foreach (var entry in tree)
        {
            if (!IsSafeName(entry.Name))
            {
                throw new PlanRefusedException(
                    RefusalCodes.UnsafeTreeEntry,
                    $"The committed tree holds an entry named '{entry.Name}', which cannot be written safely; the verification did not run. Remove it from the branch.");
            }

            var path = Path.Join(folder, entry.Name);
            switch (entry.Target)
            {
                case Tree subtree:
                    Write(subtree, path, root);
                    break;
                case Blob blob when entry.Mode == Mode.SymbolicLink:
                    WriteLink(blob, path, root);
                    break;
                case Blob blob:
                    using (var content = blob.GetContentStream())
                    using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                    {
                        content.CopyTo(file);
                    }

                    if (entry.Mode == Mode.ExecutableFile && !OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                    }

                    break;
            }
        }
    }

    private static void WriteLink(Blob blob, string path, string root)
    {
        var target = blob.GetContentText();
        var resolved = Path.GetFullPath(target, Path.GetDirectoryName(path)!);
        var inside = !target.Contains('\0', StringComparison.Ordinal) && !Path.IsPathRooted(target)
            && PathContainment.IsInside(resolved, root, PathContainment.Platform);
        if (inside && !OperatingSystem.IsWindows())
        {
            File.CreateSymbolicLink(path, target);
        }
        else
        {
            File.WriteAllText(path, target);
        }
    }

    private static bool IsSafeName(string name) =>
        name.Length > 0 && name != "." && name != ".."
        && name.IndexOfAny(['/', '\\', '\0']) < 0
        && !string.Equals(name, ".git", StringComparison.OrdinalIgnoreCase);
}
