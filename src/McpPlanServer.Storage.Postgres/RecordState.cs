using System.Text.Json;

namespace McpPlanServer.Storage.Postgres;

/// <summary>
/// A stored record's status and folder, read from its top-level properties without parsing the rest: whether a record
/// write changes the plan's state (servers are told) or only its progress (boards alone). A body that is not a JSON
/// object (hand-edited, corrupt) has no state, so writing over it counts as a change.
/// </summary>
internal readonly record struct RecordState(string? Status, string? Folder)
{
    public static RecordState Of(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            string? status = null, folder = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStatus = reader.ValueTextEquals("status"u8);
                var isFolder = !isStatus && reader.ValueTextEquals("folder"u8);
                reader.Read();
                if ((isStatus || isFolder) && reader.TokenType == JsonTokenType.String)
                {
                    (isStatus ? ref status : ref folder) = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            return new RecordState(status, folder);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
