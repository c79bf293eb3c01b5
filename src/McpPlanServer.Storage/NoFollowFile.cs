using System.Runtime.InteropServices;
using McpPlanServer.Core.Workflow;
using Microsoft.Win32.SafeHandles;

namespace McpPlanServer.Storage;

/// <summary>
/// Opens a file without following a symbolic link in its last component: on Linux and macOS with <c>O_NOFOLLOW</c>,
/// so the kernel refuses the link in the same call that opens (no window between a check and the open). .NET's
/// <see cref="FileStream"/> offers no such flag, hence the libc call. Elsewhere the link is checked right before the open.
/// </summary>
internal static partial class NoFollowFile
{
    private const int ReadOnly = 0, WriteOnly = 1, ReadWrite = 2;
    private const int LockExclusive = 2, LockNonBlocking = 4;

    // 0666, narrowed by the process's umask as for any new file.
    private const int NewFileMode = 0x1B6;

    /// <summary>Opens <paramref name="path"/>; a link there is refused with <c>symlink_refused</c> naming <paramref name="shownAs"/>.</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, string shownAs)
    {
        if (Flags.Current is not { } flags)
        {
            RequireNotLink(path, shownAs);
            return new FileStream(path, mode, access, FileShare.ReadWrite, 1, FileOptions.None);
        }

        var value = (access switch { FileAccess.Read => ReadOnly, FileAccess.Write => WriteOnly, _ => ReadWrite })
            | flags.NoFollow | flags.CloseOnExec
            | mode switch
            {
                FileMode.OpenOrCreate => flags.Create,
                FileMode.Append => flags.Create | flags.Append,
                FileMode.CreateNew => flags.Create | flags.Exclusive,
                _ => 0,
            };
        var descriptor = OpenDescriptor(path, value, NewFileMode);
        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == flags.LinkLoop)
            {
                throw LinkRefused(shownAs);
            }

            var message = $"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'";
            throw errno switch
            {
                2 when !Directory.Exists(Path.GetDirectoryName(path)) => new DirectoryNotFoundException(message),
                2 => new FileNotFoundException(message, path),
                1 or 13 => new UnauthorizedAccessException(message), // EPERM (an immutable file), EACCES
                20 => new DirectoryNotFoundException(message),
                _ => new IOException(message, errno),
            };
        }

        var stream = new FileStream(new SafeFileHandle(descriptor, ownsHandle: true), access, 1);
        if (mode == FileMode.Append)
        {
            // FileStream writes at its own position: start it at the end, as FileMode.Append does.
            stream.Seek(0, SeekOrigin.End);
        }

        return stream;
    }

    /// <summary>Takes <c>flock(LOCK_EX | LOCK_NB)</c> on the stream's file; false when another holder has it.</summary>
    public static bool TryLockExclusive(FileStream stream)
    {
        if (Flags.Current is null)
        {
            // Windows: the lock file is opened with FileShare.None by the caller's fallback instead.
            return true;
        }

        if (Flock(stream.SafeFileHandle.DangerousGetHandle().ToInt32(), LockExclusive | LockNonBlocking) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is 11 or 35 ? false : throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : lock", errno);
    }

    /// <summary>True where <see cref="Open"/> refuses links in the kernel (no check-then-open window).</summary>
    public static bool InKernel => Flags.Current is not null;

    public static void RequireNotLink(string path, string shownAs)
    {
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw LinkRefused(shownAs);
        }
    }

    public static PlanRefusedException LinkRefused(string shownAs) => new(
        RefusalCodes.SymlinkRefused,
        $"{shownAs} is a symbolic link; mcpplan never reads or writes through links in the plans root (one may lead outside the repository). " +
        "Replace the link with a regular file or folder (`rm` the link; restore the real one from git or let mcpplan recreate it).");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenDescriptor(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int descriptor, int operation);

    /// <summary>The open(2) flags differ between kernels and, on Linux, between architectures.</summary>
    private sealed record Flags(int Create, int Exclusive, int Append, int NoFollow, int CloseOnExec, int LinkLoop)
    {
        public static readonly Flags? Current = Detect();

        private static Flags? Detect()
        {
            if (OperatingSystem.IsLinux())
            {
                var arm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
                return new Flags(0x40, 0x80, 0x400, arm ? 0x8000 : 0x20000, 0x80000, 40);
            }

            return OperatingSystem.IsMacOS() ? new Flags(0x200, 0x800, 0x8, 0x100, 0x1000000, 62) : null;
        }
    }
}
