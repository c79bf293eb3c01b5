using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace McpPlanServer.Cli.Verification;

/// <summary>
/// The folders verification runs in: <c>{temp}/mcpplan-verify/{repository key}/{pid}-{random}</c>. Outside the working
/// tree, so `git status`, the drift checks and the hook never see them; not under <c>.git</c>, where git would find the
/// real repository from the command's directory and its `git` calls would act on it; keyed by repository so a sweep never
/// touches another repository's runs; named by process id so a sweep at start removes only folders whose process is gone
/// (a crashed or killed server), never one a running server is verifying in.
/// </summary>
public static class VerificationCheckout
{
    public static string Create(string repositoryRoot)
    {
        var folder = Path.Join(RepositoryFolder(repositoryRoot), $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Removes one checkout, read-only files included; a failure leaves it for the next start's sweep.</summary>
    public static void Remove(string folder)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            // Directory.Delete removes links themselves and never follows them out of the folder.
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Removes checkouts left by processes that no longer run (killed mid-verification). Returns how many.</summary>
    public static int SweepLeftovers(string repositoryRoot)
    {
        var parent = RepositoryFolder(repositoryRoot);
        if (!Directory.Exists(parent))
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(parent))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
            {
                continue;
            }

            Remove(folder);
            removed += Directory.Exists(folder) ? 0 : 1;
        }

        return removed;
    }

    public static string RepositoryFolder(string repositoryRoot)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(repositoryRoot))))[..16];
        return Path.Join(Path.GetTempPath(), "mcpplan-verify", key);
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
