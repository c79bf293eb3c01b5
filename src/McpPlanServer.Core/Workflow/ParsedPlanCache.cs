using McpPlanServer.Core.Plans;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// The last few plan texts parsed, by the SHA-256 of their text: a plan read again with the same text (a claim, then
/// <c>read_active_plan</c>, then <c>commit_step</c> of the same plan) is parsed once. The key is the text's hash, so a
/// changed text is always parsed afresh; parsed documents are immutable, so sharing one between reads is safe. Holds at
/// most <see cref="PlanLimits.ParsedPlansKept"/> documents (the oldest goes first), so memory does not grow with the plans.
/// </summary>
internal sealed class ParsedPlanCache
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, PlanDocument> documents = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public PlanDocument Parse(string text, string textSha256)
    {
        lock (gate)
        {
            if (documents.TryGetValue(textSha256, out var kept))
            {
                return kept;
            }
        }

        var parsed = PlanParser.Parse(text);
        lock (gate)
        {
            if (documents.TryAdd(textSha256, parsed))
            {
                order.Enqueue(textSha256);
                while (order.Count > PlanLimits.ParsedPlansKept)
                {
                    documents.Remove(order.Dequeue());
                }
            }
        }

        return parsed;
    }
}
