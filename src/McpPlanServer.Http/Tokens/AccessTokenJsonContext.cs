using System.Text.Json.Serialization;

namespace McpPlanServer.Http.Tokens;

/// <summary>Source-generated JSON for the tokens file (Native AOT has no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessTokenDocument))]
internal sealed partial class AccessTokenJsonContext : JsonSerializerContext;
