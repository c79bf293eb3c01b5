using System.Text.Json.Serialization;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>Source-generated JSON for journal lines: compact, one object per line.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
