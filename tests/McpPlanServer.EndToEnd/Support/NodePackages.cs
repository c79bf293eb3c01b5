namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// Installs the pinned npm packages of <c>tests/interop</c> once per test run (<c>npm ci</c> from the lock file),
/// so the interop tests need no set-up step beyond the README's test command.
/// </summary>
public static class NodePackages
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? installError;
    private static bool installed;

    public static string Folder { get; } = Path.Combine(Executable.RepositoryRoot, "tests", "interop");

    /// <summary>Returns null when the packages are ready, or why they could not be installed.</summary>
    public static async Task<string?> EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (installed || installError is not null)
            {
                return installError;
            }

            var lockFile = Path.Combine(Folder, "package-lock.json");
            var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
            if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(lockFile))
            {
                installed = true;
                return null;
            }

            ProcessResult result;
            try
            {
                result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], Folder, timeout: TimeSpan.FromMinutes(5));
            }
            catch (Exception error) when (error is System.ComponentModel.Win32Exception or TimeoutException)
            {
                installError = $"npm could not run: {error.Message}";
                return installError;
            }

            installed = result.ExitCode == 0;
            installError = installed ? null : $"npm ci failed: {result.Error}";
            return installError;
        }
        finally
        {
            Gate.Release();
        }
    }
}
