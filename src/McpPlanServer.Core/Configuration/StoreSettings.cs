namespace McpPlanServer.Core.Configuration;

/// <summary>
/// The <c>store</c> setting. For PostgreSQL, <see cref="Repository"/> keys this repository's rows (several repositories
/// may share one database) and <see cref="Connection"/> names the server without a password: the password comes from the
/// environment (<c>MCPPLAN_STORE</c>, <c>PGPASSWORD</c> or <c>~/.pgpass</c>), never from a file in the repository.
/// </summary>
public sealed record StoreSettings
{
    public const string ConnectionVariable = "MCPPLAN_STORE";

    public StoreKind Kind { get; init; } = StoreKind.File;

    /// <summary>A PostgreSQL connection string (<c>Host=…;Database=…;Username=…</c>) or URL (<c>postgres://user@host/db</c>).</summary>
    public string? Connection { get; init; }

    /// <summary>The repository's id in a shared database (letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</summary>
    public string? Repository { get; init; }

    /// <summary>The connection to use: <c>MCPPLAN_STORE</c> when set (it may carry a password), else the config's.</summary>
    public string? EffectiveConnection(Func<string, string?> environment) =>
        environment(ConnectionVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : Connection;
}
