namespace McpPlanServer.Core.Configuration;

/// <summary>Where plans, records, claims and the journal live.</summary>
public enum StoreKind
{
    /// <summary>Files below the plans root in the repository (the embedded default).</summary>
    File,

    /// <summary>A PostgreSQL database shared by every machine working on the repository.</summary>
    Postgres,
}
