using McpPlanServer.Core.Configuration;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Storage;

namespace McpPlanServer.Tests.Storage;

/// <summary>
/// The record file holds what is stored, never what is derived; files written before (with state, steps done, the last
/// review, open findings and blockers, an approval's channel verdict, a blocker's openness, a verification's pass) still read.
/// </summary>
public sealed class RecordDocumentTests
{
    /// <summary>A record as the server wrote it before the storage document: every derived member included.</summary>
    private const string OldFormat = """
        {
          "id": "value",
          "revision": 7,
          "textRevision": 1,
          "textSha256": "5f1c9a",
          "textWrittenAt": "2026-12-01T09:00:00+00:00",
          "title": "Value file",
          "stepCount": 2,
          "dependsOn": [],
          "folder": "Active",
          "status": "ChangesRequested",
          "createdAt": "2026-12-01T09:00:00+00:00",
          "updatedAt": "2026-12-01T10:00:00+00:00",
          "approval": {
            "textSha256": "5f1c9a",
            "textRevision": 1,
            "approver": "Ada",
            "at": "2026-12-01T09:05:00+00:00",
            "baseCommit": "0123456789abcdef0123456789abcdef01234567",
            "channel": "board",
            "isPersonChannel": true
          },
          "steps": [
            { "number": 1, "title": "Write the value", "done": true, "commits": [
              { "sha": "1111111111111111111111111111111111111111", "message": "Write the value", "at": "2026-12-01T09:10:00+00:00",
                "files": ["src/value.txt"], "unplannedFiles": [], "addressesFindings": [], "indexStale": false, "approval": "5f1c9a" } ] },
            { "number": 2, "title": "Add the check", "done": false, "commits": [] }
          ],
          "reviews": [
            { "iteration": 1, "at": "2026-12-01T09:30:00+00:00", "scores": { "architecture": 70 }, "weightedTotal": 70, "threshold": 85,
              "verdict": "ChangesRequested", "findings": [ { "id": "R1-F1", "severity": "Major", "location": "src/value.txt:1", "message": "Wrong value.", "open": true } ],
              "summary": "Fix the value.", "headSha": "1111111111111111111111111111111111111111", "answers": [] }
          ],
          "blockers": [
            { "id": 1, "step": 1, "question": "Which value?", "raisedAt": "2026-12-01T09:08:00+00:00", "answer": "2", "answeredAt": "2026-12-01T09:09:00+00:00", "isOpen": false }
          ],
          "lastVerification": { "command": "make check", "exitCode": 0, "timedOut": false, "durationMs": 12, "outputTail": "ok", "at": "2026-12-01T09:20:00+00:00", "passed": true },
          "timeline": [ { "at": "2026-12-01T09:00:00+00:00", "actor": "planner", "event": "created", "detail": "text revision 1" } ],
          "state": { "folder": "Active", "status": "ChangesRequested" },
          "stepsDone": 1,
          "lastReview": { "iteration": 1, "at": "2026-12-01T09:30:00+00:00", "scores": { "architecture": 70 }, "weightedTotal": 70, "threshold": 85,
            "verdict": "ChangesRequested", "findings": [], "summary": "Fix the value.", "answers": [] },
          "openFindings": [ { "id": "R1-F1", "severity": "Major", "location": "src/value.txt:1", "message": "Wrong value.", "open": true } ],
          "openBlockers": []
        }
        """;

    private static readonly string[] Derived = ["\"state\"", "\"stepsDone\"", "\"lastReview\"", "\"openFindings\"", "\"openBlockers\"", "\"isPersonChannel\"", "\"channelWarning\"", "\"isOpen\"", "\"passed\""];

    [Fact]
    public void A_record_file_written_with_the_derived_members_still_reads_and_the_next_write_drops_them()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        var file = folder.Write(Path.Combine(".claude", "plans", ".records", "value.json"), OldFormat);
        var id = PlanId.Parse("value");

        var record = store.ReadRecord(id)!;

        Assert.Equal(7, record.Revision);
        Assert.Equal(new PlanState(PlanFolder.Active, PlanStatus.ChangesRequested), record.State);
        Assert.Equal(1, record.StepsDone);
        Assert.True(record.Approval!.IsPersonChannel);
        Assert.Equal("R1-F1", Assert.Single(record.OpenFindings).Id);
        Assert.Empty(record.OpenBlockers);
        Assert.Equal("2", Assert.Single(record.Blockers).Answer);
        Assert.True(record.LastVerification!.Passed);
        Assert.Equal(["src/value.txt"], record.Steps[0].Commits.Single().Files);

        var next = record with { Revision = 8, OwnerNote = "Fix it." };
        store.WriteRecord(next, new JournalEntry { At = DateTimeOffset.UnixEpoch, Actor = "owner", Action = "request_changes", Outcome = "ok" });

        var written = File.ReadAllText(file);
        Assert.All(Derived, member => Assert.DoesNotContain(member, written));
        var reread = store.ReadRecord(id)!;
        Assert.Equal(8, reread.Revision);
        Assert.Equal("Fix it.", reread.OwnerNote);
        Assert.Equal(record.State, reread.State);
        Assert.Equal(record.Approval, reread.Approval);
        Assert.Equal(record.Blockers, reread.Blockers);
        Assert.Equal(record.LastVerification, reread.LastVerification);
        Assert.Equal(record.Reviews.Single().Findings, reread.Reviews.Single().Findings);
        Assert.Equal(record.Steps.Select(step => step.Commits.Count), reread.Steps.Select(step => step.Commits.Count));
    }

    [Fact]
    public void A_record_without_its_id_is_refused_as_corrupt_with_the_repair()
    {
        using var folder = new TempFolder();
        var store = new FilePlanStore(folder.Root, new PlanServerConfig());
        folder.Write(Path.Combine(".claude", "plans", ".records", "value.json"), OldFormat.Replace("\"id\": \"value\",", string.Empty, StringComparison.Ordinal));

        var refusal = Assert.Throws<Core.Workflow.PlanRefusedException>(() => store.ReadRecord(PlanId.Parse("value")));

        Assert.Equal("record_corrupt", refusal.Code);
        Assert.Contains("'id'", refusal.Message);
        Assert.Contains("Restore it from git", refusal.Message);
    }

    /// <summary>Every stored member survives the document: a member added to the domain but not to the document would be lost
    /// on the next write (as the approval's acceptance pins once were).</summary>
    [Fact]
    public void A_record_with_every_stored_member_set_reads_back_equal()
    {
        var at = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var record = new PlanRecord
        {
            Id = "full",
            Revision = 9,
            TextRevision = 3,
            TextSha256 = new string('a', 64),
            TextWrittenAt = at,
            Title = "Full",
            StepCount = 2,
            DependsOn = ["other"],
            Folder = PlanFolder.Active,
            Status = PlanStatus.InReview,
            CreatedAt = at,
            UpdatedAt = at.AddHours(1),
            Approval = new Approval(new string('a', 64), 3, "Ada", at, "base", "cli")
            {
                AcceptanceSha256 = new string('b', 64),
                AcceptanceCommit = "pin",
                PinnedFiles = ["tests/a.sh", "tests/b.sh"],
            },
            LastVerification = new VerificationResult("make test", 0, false, 12, "ok", at, "head"),
            LastAcceptance = new AcceptanceResult("sh tests/a.sh", "head", 0, false, 40, "1 passed", at, new TestCounts(1, 0, 0, "junit")),
            HandedInCommit = "head",
            ArchivedTextSha256 = new string('c', 64),
            IntegratedCommit = "merged",
            OwnerNote = "note",
            Timeline = [new TimelineEntry(at, "owner", "approve", "ok")],
        };

        var read = StoredJson.ParseRecord(StoredJson.Record(record));
        Assert.Equal(record.Approval.AcceptanceSha256, read.Approval!.AcceptanceSha256);
        Assert.Equal(record.Approval.AcceptanceCommit, read.Approval.AcceptanceCommit);
        Assert.Equal(record.Approval.PinnedFiles, read.Approval.PinnedFiles);
        Assert.Equal(record.LastAcceptance, read.LastAcceptance);
        Assert.Equal(record.LastVerification, read.LastVerification);
        foreach (var (name, expected, actual) in new (string, object?, object?)[]
        {
            ("Revision", record.Revision, read.Revision), ("TextRevision", record.TextRevision, read.TextRevision), ("TextWrittenAt", record.TextWrittenAt, read.TextWrittenAt),
            ("Title", record.Title, read.Title), ("StepCount", record.StepCount, read.StepCount), ("Folder", record.Folder, read.Folder),
            ("Status", record.Status, read.Status), ("UpdatedAt", record.UpdatedAt, read.UpdatedAt), ("HandedInCommit", record.HandedInCommit, read.HandedInCommit),
            ("ArchivedTextSha256", record.ArchivedTextSha256, read.ArchivedTextSha256), ("IntegratedCommit", record.IntegratedCommit, read.IntegratedCommit),
            ("OwnerNote", record.OwnerNote, read.OwnerNote),
        })
        {
            Assert.True(Equals(expected, actual), $"{name}: wrote {expected}, read {actual}");
        }

        Assert.Equal(record.DependsOn, read.DependsOn);
        Assert.Equal(record.Timeline, read.Timeline);
    }
}
