using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace McpPlanServer.Mcp;

/// <summary>Source-generated JSON for the few types the MCP adapter serializes itself (AOT-safe).</summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(IDictionary<string, JsonElement>))]
internal sealed partial class McpJsonContext : JsonSerializerContext;
