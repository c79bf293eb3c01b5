using System.Collections.Concurrent;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>
/// Installs the pinned npm packages of a folder under <c>tests/</c> once per test run (<c>npm ci</c> from its lock
/// file), so the interop tests need no set-up step beyond the README's test command.
/// </summary>
public static class NodePackages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<NodeInstall>>> Installs = new(StringComparer.Ordinal);

    public static string FolderOf(string name) => Path.Combine(Executable.RepositoryRoot, "tests", name);

    /// <summary>The TypeScript SDK client folder.</summary>
    public static string Folder => FolderOf("interop");

    public static Task<NodeInstall> InstallAsync(string name) =>
        Installs.GetOrAdd(name, key => new Lazy<Task<NodeInstall>>(() => RunInstallAsync(FolderOf(key)))).Value;

    /// <summary>Returns null when the TypeScript SDK packages are ready, or why they are not.</summary>
    public static async Task<string?> EnsureInstalledAsync() => (await InstallAsync("interop")).Error;

    private static async Task<NodeInstall> RunInstallAsync(string folder)
    {
        var lockFile = Path.Combine(folder, "package-lock.json");
        var marker = Path.Combine(folder, "node_modules", ".package-lock.json");
        if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(lockFile))
        {
            return new NodeInstall(folder, null, false);
        }

        try
        {
            var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, timeout: TimeSpan.FromMinutes(8));
            if (result.ExitCode == 0)
            {
                return new NodeInstall(folder, null, false);
            }

            var unreachable = new[] { "ENOTFOUND", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET", "network" }
                .Any(marker => result.Error.Contains(marker, StringComparison.OrdinalIgnoreCase));
            return new NodeInstall(folder, $"npm ci in {folder} failed: {result.Error.Trim()}", unreachable);
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception)
        {
            return new NodeInstall(folder, $"npm could not run ({error.Message}); install Node.js 20+ with npm.", true);
        }
        catch (TimeoutException)
        {
            return new NodeInstall(folder, $"npm ci in {folder} timed out: the npm registry could not be reached in time.", true);
        }
    }
}
