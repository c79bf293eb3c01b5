using McpPlanServer.Core.Workflow;
using Npgsql;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// Builds the data source from a connection string or a <c>postgres://user[:password]@host[:port]/database?sslmode=…</c>
/// URL, with Npgsql's slim builder (no reflection-based type mapping, so it is trimmed and Native AOT safe).
/// </summary>
public static class PostgresConnection
{
    public static NpgsqlDataSource Open(string connection)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(ToConnectionString(connection));
        }
        catch (Exception error) when (error is ArgumentException or FormatException or UriFormatException)
        {
            throw new PlanRefusedException(
                "invalid_config",
                $"The PostgreSQL connection is not valid ({error.Message}). Use a URL such as postgres://mcpplan@db.example/plans or a connection string such as Host=db.example;Database=plans;Username=mcpplan.");
        }

        settings.ApplicationName ??= "mcpplan";
        return new NpgsqlSlimDataSourceBuilder(settings.ConnectionString).Build();
    }

    /// <summary>A URL turned into a connection string; anything else is taken as one already.</summary>
    public static string ToConnectionString(string connection)
    {
        if (!connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return connection;
        }

        var url = new Uri(connection);
        var builder = new NpgsqlConnectionStringBuilder { Host = url.Host };
        if (url.Port > 0)
        {
            builder.Port = url.Port;
        }

        if (url.AbsolutePath.Trim('/') is { Length: > 0 } database)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        if (url.UserInfo.Length > 0)
        {
            var parts = url.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var keyValue = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(keyValue[0]) switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                var other => other,
            };
            builder[key] = keyValue.Length == 2 ? Uri.UnescapeDataString(keyValue[1]) : string.Empty;
        }

        return builder.ConnectionString;
    }

    /// <summary>The connection as shown in messages and config: the password, if any, removed.</summary>
    public static string WithoutPassword(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(connection)) { Password = null };
        return builder.ConnectionString;
    }
}
