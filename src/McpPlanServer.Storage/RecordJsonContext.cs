using System.Text.Json.Serialization;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Storage;

/// <summary>Source-generated JSON for per-plan records (<see cref="RecordDocument"/>) and claims (no reflection, so it works trimmed and under Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RecordDocument))]
[JsonSerializable(typeof(ClaimBook))]
[JsonSerializable(typeof(AcceptanceSet))]
internal sealed partial class RecordJsonContext : JsonSerializerContext;
