using System.Text.Json.Nodes;

namespace McpPlanServer.EndToEnd.Support;

/// <summary>One model API's wire format for <see cref="ScriptedModel"/>: which requests are its, what they say, and how a reply is written.</summary>
public interface IModelWire
{
    /// <summary>Whether a request to <paramref name="path"/> is in this format.</summary>
    bool Handles(string path);

    /// <summary>The tools offered and the tool results so far, or null for a request that is not a model turn (token counts and the like).</summary>
    ModelRequest? Read(string path, JsonObject body);

    /// <summary>The HTTP answer: <paramref name="reply"/> for a model turn, or a fixed answer when <paramref name="reply"/> is null.</summary>
    (string ContentType, string Body) Write(string path, JsonObject body, ModelReply? reply);
}
