using System.Text.RegularExpressions;
using McpPlanServer.Core.Configuration;

namespace McpPlanServer.Storage;

/// <summary>What makes a <c>store</c> setting unusable: checked when the config is read and before <c>init</c> writes it.</summary>
public static partial class StoreSettingsCheck
{
    /// <summary>The problem with the setting, or null when it is usable.</summary>
    public static string? Problem(StoreSettings store)
    {
        if (store.Kind == StoreKind.File)
        {
            return null;
        }

        if (store.Repository is null || !RepositoryId().IsMatch(store.Repository))
        {
            return "store.repository must name this repository in the database: 1-100 letters, digits, '.', '-' or '_' (mcpplan init --store sets one)";
        }

        return store.Connection is { } connection && HasPassword(connection)
            ? $"store.connection holds a password, which must never be in a file of the repository; remove it and set {StoreSettings.ConnectionVariable} (the whole connection string), PGPASSWORD or ~/.pgpass instead"
            : null;
    }

    /// <summary>A password in a <c>postgres://user:password@host</c> URL or a <c>Password=</c> key of a connection string.</summary>
    public static bool HasPassword(string connection)
    {
        if (connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = connection[(connection.IndexOf("://", StringComparison.Ordinal) + 3)..];
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            return (at > 0 && rest[..at].Contains(':', StringComparison.Ordinal)) || rest.Contains("password=", StringComparison.OrdinalIgnoreCase);
        }

        return connection.Split(';').Select(part => part.Split('=', 2)[0].Trim())
            .Any(key => key.Equals("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryId();
}
