using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;

namespace McpPlanServer.Core.Workflow;

/// <summary>
/// Which plans exist, one summary each, and what on disk cannot be used. One broken file never hides the others: it
/// is listed with its reason and repair. Summaries come from <see cref="PlanSummaryIndex"/> while their files are unchanged.
/// </summary>
internal sealed class PlanListing(PlanReader reader, PlanSummaryIndex index)
{
    private const string UnusablePrefix = "Cannot be used ";

    private IPlanStore Store => reader.Store;

    /// <summary>
    /// One page of plans in a stable order (state, then id). Ordering and filtering need only the folder listing,
    /// so records are read for the page alone: a listing costs the same with 10 or 10,000 plans on disk.
    /// </summary>
    public PlanPage ListPlans(PlanFolder? folder, int offset, int limit) => ListPlans(folder, offset, limit, out _);

    /// <summary>As <see cref="ListPlans(PlanFolder?, int, int)"/>, with the store's listing the page was taken from (a caller
    /// that needs it again in the same call uses this one instead of listing again: on PostgreSQL a round trip).</summary>
    public PlanPage ListPlans(PlanFolder? folder, int offset, int limit, out IReadOnlyList<ListedPlan> listedPlans)
    {
        listedPlans = Store.ListPlanNames();
        var order = Ordered(listedPlans);
        var listed = folder is { } wanted ? order.InFolder(wanted) : order.Plans;
        var head = new Lazy<string?>(IndexHead);
        var page = listed.Skip(offset).Take(limit)
            .Select(plan => SummarizeListed(plan, order, head))
            .OfType<PlanSummary>().ToList();
        index.Retain(order.Plans);
        index.Publish(order.Plans);
        var next = offset + page.Count < listed.Count ? offset + page.Count : (int?)null;
        return new PlanPage(page, listed.Count, next, [.. Store.LinkProblems(includePlanFiles: false), .. DuplicateFiles(order.Duplicates)]);
    }

    /// <summary>The plans in a stable order (state, then id) with the ones found twice; kept while the store answers with the same listing.</summary>
    private ListingOrder Ordered(IReadOnlyList<ListedPlan> listed)
    {
        if (order is { } kept && ReferenceEquals(kept.Source, listed))
        {
            return kept;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // A store may list in this order already (PostgreSQL keeps its listing so): then it is checked, not sorted again.
        var sorted = InOrder(listed) ? listed : listed.OrderBy(plan => plan.Folder).ThenBy(plan => plan.Id.Value, StringComparer.Ordinal).ToList();
        var duplicates = Duplicates(listed.Select(plan => (plan.Id, plan.Folder)));
        var folders = new Dictionary<PlanId, PlanFolder>(listed.Count);
        foreach (var plan in listed.Where(plan => !duplicates.ContainsKey(plan.Id)))
        {
            folders[plan.Id] = plan.Folder;
        }

        var built = new ListingOrder(listed, sorted, duplicates, folders);
        order = built;
        Diagnostics.BenchTimings.Record("listing:order", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return built;
    }

    private ListingOrder? order;

    private static bool InOrder(IReadOnlyList<ListedPlan> listed)
    {
        for (var index = 1; index < listed.Count; index++)
        {
            var (before, plan) = (listed[index - 1], listed[index]);
            if (before.Folder > plan.Folder || (before.Folder == plan.Folder && string.CompareOrdinal(before.Id.Value, plan.Id.Value) > 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="Folders">Where each plan found once is: readiness takes its dependencies' places from here.</param>
    private sealed record ListingOrder(IReadOnlyList<ListedPlan> Source, IReadOnlyList<ListedPlan> Plans, Dictionary<PlanId, PlanRefusedException> Duplicates, Dictionary<PlanId, PlanFolder> Folders)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<PlanFolder, IReadOnlyList<ListedPlan>> byFolder = new();

        public PlanFolder? FolderOf(PlanId id) => Folders.TryGetValue(id, out var folder) ? folder : null;

        /// <summary>The plans of one state, in order: taken once per listing, not on every page.</summary>
        public IReadOnlyList<ListedPlan> InFolder(PlanFolder folder) => byFolder.GetOrAdd(folder, wanted => [.. Plans.Where(plan => plan.Folder == wanted)]);
    }

    /// <summary>
    /// One listed plan's summary. The listing may not carry the text's time (see <see cref="IPlanStore.ListPlanNames"/>):
    /// the plan's stamp gives it, or, without a stamp (a link, a file gone), the plan is located again.
    /// </summary>
    private PlanSummary? SummarizeListed(ListedPlan listed, ListingOrder order, Lazy<string?> head)
    {
        var duplicates = order.Duplicates;
        var stamp = Store.Stamp(new PlanLocation(listed.Id, listed.Folder, default));
        PlanLocation? location;
        if (listed.LastWriteTime is { } written)
        {
            location = new PlanLocation(listed.Id, listed.Folder, written);
        }
        else if (stamp is not null)
        {
            location = new PlanLocation(listed.Id, listed.Folder, new DateTimeOffset(stamp.TextWrittenTicks, TimeSpan.Zero));
        }
        else
        {
            try
            {
                location = Store.Locate(listed.Id);
            }
            catch (PlanRefusedException unusable)
            {
                return Unusable(new PlanLocation(listed.Id, listed.Folder, default), unusable);
            }
        }

        if (location is null)
        {
            return null;
        }

        return duplicates.TryGetValue(location.Id, out var duplicate) ? Unusable(location, duplicate) : WithCurrentReadiness(SummarizeIndexed(location, location.Folder == listed.Folder ? stamp : Store.Stamp(location), head), order.FolderOf);
    }

    /// <summary>
    /// The summaries <see cref="ListPlans"/> gives these plans, with where each is (none for a plan that is gone), for a
    /// view that keeps every summary and re-reads only the plans that changed. Null when one of them cannot be summarized
    /// alone (found in two folders, or a link): the view then lists everything, as the listing shows such plans.
    /// </summary>
    public IReadOnlyList<(PlanLocation Location, PlanSummary Summary)>? SummariesOf(IReadOnlyCollection<PlanId> ids)
    {
        var head = new Lazy<string?>(IndexHead);
        var found = new List<(PlanLocation, PlanSummary)>(ids.Count);
        foreach (var id in ids)
        {
            PlanLocation? location;
            try
            {
                location = Store.Locate(id);
            }
            catch (PlanRefusedException)
            {
                return null;
            }

            if (location is not null && WithCurrentReadiness(SummarizeIndexed(location, Store.Stamp(location), head)) is { } summary)
            {
                found.Add((location, summary));
            }
        }

        return found;
    }

    /// <summary>
    /// Every file in the plans root that cannot be used, with what is wrong and how to repair it: links, plans in two
    /// folders, and (with <paramref name="readEveryPlan"/>) records and texts that cannot be read. Never throws for one bad file.
    /// </summary>
    public IReadOnlyList<BadFile> BadFiles(bool readEveryPlan)
    {
        var found = new List<BadFile>(Store.LinkProblems(includePlanFiles: true));
        var locations = Store.ListPlans();
        var duplicates = Duplicates(locations.Select(location => (location.Id, location.Folder)));
        found.AddRange(DuplicateFiles(duplicates));
        if (readEveryPlan)
        {
            foreach (var location in locations.Where(location => !duplicates.ContainsKey(location.Id)))
            {
                try
                {
                    reader.Load(location);
                }
                catch (PlanRefusedException unreadable) when (unreadable.Code != "plan_moved")
                {
                    var file = unreadable.Code == RefusalCodes.RecordCorrupt ? $".records/{location.Id}.json" : $"{location.Folder}/{location.Id}.md";
                    found.Add(new BadFile($"{Store.PlansRoot}/{file}", location.Id.Value, unreadable.Code, unreadable.Message));
                }
            }
        }

        return found;
    }

    /// <summary>The records that read, for the metrics: a corrupt record counts as no data (the listing names it).</summary>
    public IReadOnlyList<PlanRecord> ReadableRecords()
    {
        var records = new List<PlanRecord>();
        foreach (var location in Store.ListPlans())
        {
            try
            {
                if (Store.ReadRecord(location.Id) is { } record)
                {
                    records.Add(record);
                }
            }
            catch (PlanRefusedException)
            {
                // Named with its repair by BadFiles and the listing.
            }
        }

        return records;
    }

    /// <summary>
    /// The records of these plans as <see cref="ReadableRecords"/> counts them (null for a plan that is not listed or whose
    /// record does not read); null when one of them cannot be placed alone (in two folders, a link): only the whole listing
    /// says how those count.
    /// </summary>
    public Dictionary<string, PlanRecord?>? ReadableRecordsOf(IEnumerable<PlanId> ids)
    {
        var records = new Dictionary<string, PlanRecord?>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            try
            {
                if (Store.Locate(id) is null)
                {
                    records[id.Value] = null;
                    continue;
                }
            }
            catch (PlanRefusedException)
            {
                return null;
            }

            try
            {
                records[id.Value] = Store.ReadRecord(id);
            }
            catch (PlanRefusedException)
            {
                records[id.Value] = null;
            }
        }

        return records;
    }

    /// <summary>The dependencies the plan's text declares as written (unvalidated ids included, so a view can show them).</summary>
    public IReadOnlyList<string> DeclaredDependencies(PlanLocation location) => PlanParser.Parse(Store.ReadText(location)).Metadata.DependsOn;

    /// <summary>Plans found in more than one state folder, with the refusal every change to them gets.</summary>
    private static Dictionary<PlanId, PlanRefusedException> Duplicates(IEnumerable<(PlanId Id, PlanFolder Folder)> locations)
    {
        var seen = new HashSet<PlanId>();
        return locations.All(location => seen.Add(location.Id)) ? new Dictionary<PlanId, PlanRefusedException>() : DuplicatesFound(locations);
    }

    private static Dictionary<PlanId, PlanRefusedException> DuplicatesFound(IEnumerable<(PlanId Id, PlanFolder Folder)> locations) =>
        locations.GroupBy(location => location.Id).Where(group => group.Count() > 1).ToDictionary(
            group => group.Key,
            group => new PlanRefusedException(
                RefusalCodes.DuplicatePlan,
                $"Plan '{group.Key}' exists in {string.Join(" and ", group.Select(location => location.Folder + "/"))}. Keep the one in the right state and remove the other (a person's decision; the server will not guess)."));

    private IEnumerable<BadFile> DuplicateFiles(Dictionary<PlanId, PlanRefusedException> duplicates) =>
        duplicates.Select(pair => new BadFile($"{Store.PlansRoot}/*/{pair.Key}.md", pair.Key.Value, pair.Value.Code, pair.Value.Message));

    private static PlanSummary Unusable(PlanLocation location, PlanRefusedException reason)
    {
        var problem = $"{UnusablePrefix}({reason.Code}): {reason.Message}";
        return new PlanSummary(location.Id.Value, null, location.Folder, PlanReader.DefaultStatus(location.Folder), 0, 0, null, 0, 0, 0, false, location.LastWriteTime, problem, problem);
    }

    /// <summary>
    /// From the index while the plan's files (and, for an active plan, HEAD: git decides its steps and verdict) are as
    /// they were; otherwise read afresh. Unusable plans and plans that moved are never kept.
    /// </summary>
    private PlanSummary? SummarizeIndexed(PlanLocation location, PlanFileStamp? stamp, Lazy<string?> head) => index.Summary(
        location,
        stamp,
        () => Store.Stamp(location),
        location.Folder == PlanFolder.Active ? head.Value : null,
        () =>
        {
            var found = SummarizeCurrent(location, stamp);
            return (found, found is not null && found.Folder == location.Folder && !found.NextAction.StartsWith(UnusablePrefix, StringComparison.Ordinal));
        });

    /// <summary>Readiness depends on other plans' states, which the index key of this plan does not cover: recompute it on
    /// every listing from the dependencies' statuses (kept per dependency while its files' stamp holds, placed by the
    /// current folder listing when <paramref name="listed"/> is given).</summary>
    private PlanSummary? WithCurrentReadiness(PlanSummary? summary, Func<PlanId, PlanFolder?>? listed = null)
    {
        if (summary is null || summary.Folder == PlanFolder.Completed || summary.DependsOn.Length == 0)
        {
            return summary;
        }

        return summary with { Readiness = reader.ReadinessFor(summary.DependsOn.Split(','), listed) };
    }

    /// <summary>A summary's readiness as kept in the index: only where it needs no other plan (no dependencies, or completed);
    /// <see cref="WithCurrentReadiness"/> gives the others theirs at every listing.</summary>
    private string? ReadinessWithoutDependencies(PlanRecord record, PlanFolder folder) =>
        record.DependsOn.Count == 0 || folder == PlanFolder.Completed ? reader.ReadinessOf(record, folder) : null;

    /// <summary>The commit HEAD points at, as part of an active plan's index key; no git, no key part.</summary>
    public string? IndexHead()
    {
        try
        {
            return reader.Repository?.HeadSha;
        }
        catch (PlanRefusedException)
        {
            return null;
        }
    }

    /// <summary>A plan the listing saw may move before its record is read (reads take no lock): follow it once.</summary>
    private PlanSummary? SummarizeCurrent(PlanLocation location, PlanFileStamp? stamp)
    {
        try
        {
            return Summarize(location, stamp);
        }
        catch (PlanRefusedException moved) when (moved.Code == RefusalCodes.PlanMoved)
        {
            return Store.Locate(location.Id) is { } current ? Summarize(current, null) : null;
        }
    }

    /// <param name="location">Where the text is.</param>
    /// <param name="stamp">The plan's stamp taken before this read: the record's status is kept under it for the readiness
    /// of plans depending on this one.</param>
    private PlanSummary Summarize(PlanLocation location, PlanFileStamp? stamp)
    {
        try
        {
            var record = stamp is null ? Store.ReadRecord(location.Id) : Store.ReadListedRecord(location.Id, stamp);
            if (stamp is not null)
            {
                reader.NoteStatus(location.Id, location.Folder, stamp, record);
            }
            if (record is null || record.Folder != location.Folder || record.TextWrittenAt != location.LastWriteTime)
            {
                // Placed, moved or edited by hand: the text is the only truth, so read it to reconcile.
                var plan = reader.Load(location, record);
                return Summarize(plan.Record, plan.ApprovalValid, location, plan.StaleVerdict) with { Readiness = ReadinessWithoutDependencies(plan.Record, location.Folder), DependsOn = string.Join(',', plan.Record.DependsOn) };
            }

            if (location.Folder == PlanFolder.Active)
            {
                record = BranchTruth.Apply(record, record.Steps.Any(step => step.Commits.Count > 0) ? reader.RepositoryFor(record) : reader.Repository);
            }

            return Summarize(record, record.Approval is not null && record.IsApprovedFor(record.TextSha256), location, reader.StaleVerdict(record, location.Folder))
                with { Readiness = ReadinessWithoutDependencies(record, location.Folder), DependsOn = string.Join(',', record.DependsOn) };
        }
        catch (PlanRefusedException unreadable) when (unreadable.Code != "plan_moved")
        {
            // One broken file (a corrupt record, an unreadable text) must not hide every other plan: list it with the
            // reason and the repair. Every change to it is refused with the same reason.
            return Unusable(location, unreadable);
        }
    }

    private static PlanSummary Summarize(PlanRecord record, bool approvalValid, PlanLocation location, string? staleVerdict) => new(
        record.Id,
        record.Title,
        location.Folder,
        record.Status,
        record.StepsDone,
        record.StepCount,
        record.LastReview?.WeightedTotal,
        record.Reviews.Count,
        record.OpenBlockers.Count(),
        record.OpenFindings.Count(),
        approvalValid,
        record.UpdatedAt,
        location.Folder == PlanFolder.Active && !approvalValid
            ? "Not approved for its current text: the owner reads it (mcpplan show " + record.Id + ") and approves it with --sha"
            : staleVerdict ?? record.Steps.FirstOrDefault(step => step.Problem is not null)?.Problem ?? PlanLifecycle.NextStepHint(record.State, record.Id),
        ApprovalWarning: approvalValid ? record.Approval?.ChannelWarning : null);
}
