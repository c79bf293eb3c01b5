using System.Text.Json.Serialization;

namespace McpPlanServer.Storage;

/// <summary>Source-generated JSON for the shared summary file (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SharedSummaryDocument))]
internal sealed partial class SharedSummaryJsonContext : JsonSerializerContext;
