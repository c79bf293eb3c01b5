using System.Runtime.InteropServices;
using System.Text;

namespace McpPlanServer.Git;

/// <summary>
/// Reads a path's git attributes (<c>.gitattributes</c> at every level, <c>info/attributes</c>, the configured
/// attributes file) through libgit2 itself, the library LibGit2Sharp ships: LibGit2Sharp 0.32 applies attributes when
/// it filters a blob but has no call that reports them, and only the attributes tell a built-in conversion (which
/// libgit2 applies exactly as git does) from an external filter program (which it silently skips).
/// </summary>
internal sealed class GitAttributes : IDisposable
{
    /// <summary>The native library of LibGit2Sharp.NativeBinaries 2.0.324 (pinned by LibGit2Sharp 0.32.0); a unit test
    /// loads it, so a package upgrade that renames it fails the build's tests instead of a user's commit.</summary>
    internal const string NativeLibrary = "git2-5853918";

    private const int ValueString = 3;

    private IntPtr handle;

    /// <param name="workingDirectory">The repository's working tree (libgit2 opens it as git would, worktrees included).</param>
    public GitAttributes(string workingDirectory)
    {
        var status = git_repository_open(out handle, Utf8(workingDirectory));
        if (status != 0 || handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"libgit2 could not open {workingDirectory} to read its attributes (error {status}).");
        }
    }

    /// <summary>The driver named by the <c>filter</c> attribute (for example <c>lfs</c>), or null when none is named.</summary>
    public string? FilterDriver(string path) => StringValue(path, "filter");

    /// <summary>The <c>working-tree-encoding</c> attribute, a conversion libgit2 does not implement.</summary>
    public string? WorkingTreeEncoding(string path) => StringValue(path, "working-tree-encoding");

    private string? StringValue(string path, string name)
    {
        ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, this);
        if (git_attr_get(out var value, handle, 0, Utf8(path), Utf8(name)) != 0)
        {
            throw new InvalidOperationException($"libgit2 could not read the attribute '{name}' of {path}.");
        }

        // The value points into libgit2's attribute cache, valid while the repository handle lives; copy it now.
        return value != IntPtr.Zero && git_attr_value(value) == ValueString ? Marshal.PtrToStringUTF8(value) : null;
    }

    public void Dispose()
    {
        if (handle != IntPtr.Zero)
        {
            git_repository_free(handle);
            handle = IntPtr.Zero;
        }
    }

    /// <summary>A NUL-terminated UTF-8 copy: byte arrays marshal without runtime code generation (Native AOT safe).</summary>
    private static byte[] Utf8(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    [DllImport(NativeLibrary)]
    private static extern int git_repository_open(out IntPtr repository, byte[] path);

    [DllImport(NativeLibrary)]
    private static extern void git_repository_free(IntPtr repository);

    [DllImport(NativeLibrary)]
    private static extern int git_attr_get(out IntPtr value, IntPtr repository, uint flags, byte[] path, byte[] name);

    [DllImport(NativeLibrary)]
    private static extern int git_attr_value(IntPtr value);
}
