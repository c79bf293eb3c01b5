using System.Reflection;

namespace McpPlanServer.Clients.Init;

/// <summary>
/// Doctor's version line: the <c>mcpplan</c> running here against the version the repository expects, which is the
/// one its local tool manifest pins (<c>.config/dotnet-tools.json</c>; init records no version of its own, so without a
/// manifest nothing pins one). A mismatch means this machine's server, hook and CLI are not the ones the repository's
/// teammates run; the line names the command that fixes it either way.
/// </summary>
public static class ToolVersionCheck
{
    /// <summary>The version of this mcpplan build, without the source revision that follows a '+'.</summary>
    public static string Installed { get; } = Normalize(
        typeof(ToolVersionCheck).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");

    public static string Describe(string repoRoot, string installedVersion)
    {
        ManifestTool? tool;
        try
        {
            tool = LocalToolManifest.FindTool(repoRoot, ServerLaunchCommand.ExecutableName);
        }
        catch (InitRefusedException exception)
        {
            return $"version: mcpplan {installedVersion}; cannot tell which version the repository expects: {exception.Message}";
        }

        var installed = Normalize(installedVersion);
        if (tool?.Version is not { Length: > 0 } pinned)
        {
            return $"version: mcpplan {installed}; no tool manifest pins a version, so each machine runs whichever mcpplan it installed. "
                + $"To pin this one for everyone: dotnet new tool-manifest, then dotnet tool install --local McpPlanServer --version {installed}, and commit .config/dotnet-tools.json";
        }

        return string.Equals(Normalize(pinned), installed, StringComparison.OrdinalIgnoreCase)
            ? $"version: mcpplan {installed}, the version {tool.RelativePath} pins ({tool.PackageId})"
            : $"version: MISMATCH: mcpplan {installed} is running here, but {tool.RelativePath} pins {tool.PackageId} {pinned}. "
                + $"Run dotnet tool restore in the repository root and start it as dotnet tool run mcpplan (as the clients' configuration does), "
                + $"or, to move the repository to {installed}, run dotnet tool update --local {tool.PackageId} --version {installed} and commit {tool.RelativePath}";
    }

    private static string Normalize(string version) => version.Split('+')[0].Trim();
}
