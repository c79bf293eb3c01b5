using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Workflow;

namespace McpPlanServer.Tests.Workflow;

/// <summary>The parsed texts a process keeps (issue 19: fewer parses per call): by the text's hash, bounded, never stale.</summary>
public sealed class ParsedPlanCacheTests
{
    private static string Text(int files) => WorkflowRepository.PlanText.Replace("src/value.txt", $"src/value-{files}.txt", StringComparison.Ordinal);

    [Fact]
    public void The_same_text_is_parsed_once_and_a_changed_text_is_parsed_afresh()
    {
        var cache = new ParsedPlanCache();
        var text = Text(1);
        var first = cache.Parse(text, PlanText.Sha256Hex(text));

        Assert.Same(first, cache.Parse(text, PlanText.Sha256Hex(text)));
        Assert.Equal(PlanParser.Parse(text), first, new DocumentComparer());

        var changed = Text(2);
        var second = cache.Parse(changed, PlanText.Sha256Hex(changed));
        Assert.NotSame(first, second);
        Assert.Contains(second.PlannedFiles, file => file.Path == "src/value-2.txt");
        Assert.DoesNotContain(second.PlannedFiles, file => file.Path == "src/value-1.txt");
    }

    [Fact]
    public void It_keeps_only_the_last_texts_so_memory_does_not_grow_with_the_plans()
    {
        var cache = new ParsedPlanCache();
        var oldest = Text(0);
        var kept = cache.Parse(oldest, PlanText.Sha256Hex(oldest));
        for (var plan = 1; plan < PlanLimits.ParsedPlansKept; plan++)
        {
            cache.Parse(Text(plan), PlanText.Sha256Hex(Text(plan)));
        }

        Assert.Same(kept, cache.Parse(oldest, PlanText.Sha256Hex(oldest)));
        var newest = Text(PlanLimits.ParsedPlansKept);
        cache.Parse(newest, PlanText.Sha256Hex(newest));

        Assert.NotSame(kept, cache.Parse(oldest, PlanText.Sha256Hex(oldest)));
    }

    [Fact]
    public void A_stamp_of_the_same_text_with_another_record_is_the_same_text_and_any_text_change_is_not()
    {
        var stamp = new PlanFileStamp(100, 5, 40, 7);

        Assert.True(stamp.SameText(stamp with { RecordLength = 41, RecordWrittenTicks = 8 }));
        Assert.False(stamp.SameText(stamp with { TextWrittenTicks = 6 }));
        Assert.False(stamp.SameText(stamp with { TextLength = 101 }));
        Assert.False(stamp.SameText(null));
    }

    /// <summary>Two parses of one text: the same steps and planned files (the records' lists compare by reference).</summary>
    private sealed class DocumentComparer : IEqualityComparer<PlanDocument>
    {
        public bool Equals(PlanDocument? x, PlanDocument? y) =>
            x is not null && y is not null && x.Title == y.Title
            && x.Steps.Select(step => step.Title).SequenceEqual(y.Steps.Select(step => step.Title))
            && x.PlannedFiles.Select(file => file.Path).SequenceEqual(y.PlannedFiles.Select(file => file.Path));

        public int GetHashCode(PlanDocument obj) => obj.Title?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
