using McpPlanServer.Core.Records;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpPlanServer.Board;

/// <summary>The board's routes. Reads go through the workflow's queries; the person's decisions through the same
/// domain operations as the CLI, with channel <c>board</c> on approvals.</summary>
internal sealed class BoardEndpoints(BoardOptions options, BoardSecurity security, BoardEvents events)
{
    private static readonly Dictionary<string, string> DoneNotices = new(StringComparer.Ordinal)
    {
        [OwnerDecision.Approve] = "Approved. The plan is active; the implementer starts with step 1.",
        [OwnerDecision.RequestChanges] = "Changes requested: the note is with the plan.",
        [OwnerDecision.Complete] = "Completed and archived.",
        [OwnerDecision.Abandon] = "Abandoned and archived.",
        [OwnerDecision.Integrate] = "Integrated: the verified commit is on the target branch, and the plan is completed.",
    };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (RequestDelegate)Board);
        routes.MapGet("/numbers", (RequestDelegate)Numbers);
        routes.MapGet("/events", (RequestDelegate)events.Stream);
        routes.MapGet("/static/{name}", (RequestDelegate)StaticAssets.Serve);
        routes.MapGet("/r/{repo}/plans/{id}", (RequestDelegate)Plan);
        routes.MapGet("/r/{repo}/plans/{id}/commits/{sha}", (RequestDelegate)Commit);
        routes.MapPost("/r/{repo}/plans/{id}/{decision}", (RequestDelegate)Decide);
    }

    private DateTimeOffset Now => options.Clock.GetUtcNow();

    private Task Board(HttpContext context)
    {
        var now = Now;
        var snapshots = options.Repositories.Select(repository => (repository, repository.Snapshots.Current(now))).ToList();
        return WriteHtml(context, BoardPage.Render(snapshots, now, context.Request.Query.ContainsKey("all")));
    }

    private Task Numbers(HttpContext context)
    {
        var now = Now;
        return WriteHtml(context, NumbersPage.Render([.. options.Repositories.Select(repository => (repository, repository.Snapshots.Metrics(now)))]));
    }

    private async Task Plan(HttpContext context)
    {
        if (Repository(context) is not { } repository)
        {
            await BoardSecurity.Refuse(context, StatusCodes.Status404NotFound, "No such repository on this board.");
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        var done = context.Request.Query["done"].ToString();
        var notice = DoneNotices.GetValueOrDefault(done);

        // The same overlap warning mcpplan approve prints, while the plan still shares files with another approved one.
        if (done == OwnerDecision.Approve && repository.Workflow.OverlapWarningOf(id) is { } overlapWarning)
        {
            notice += " " + overlapWarning;
        }

        await RenderPlan(context, repository, id, notice, noticeIsError: false, StatusCodes.Status200OK);
    }

    private async Task RenderPlan(HttpContext context, BoardRepository repository, string id, string? notice, bool noticeIsError, int status)
    {
        LoadedPlan plan;
        try
        {
            plan = repository.Workflow.ReadPlan(id);
        }
        catch (PlanRefusedException refusal)
        {
            await BoardSecurity.Refuse(context, refusal.Code == RefusalCodes.PlanNotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, $"{refusal.Code}: {refusal.Message}");
            return;
        }

        var card = repository.Snapshots.Current(Now).Cards.FirstOrDefault(candidate => candidate.Id == plan.Id.Value);
        context.Response.StatusCode = status;
        await WriteHtml(context, PlanPage.Render(repository, plan, card, security, Now, notice, noticeIsError));
    }

    private async Task Commit(HttpContext context)
    {
        if (Repository(context) is not { } repository)
        {
            await BoardSecurity.Refuse(context, StatusCodes.Status404NotFound, "No such repository on this board.");
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        var sha = (string)context.Request.RouteValues["sha"]!;
        try
        {
            var evidence = repository.Workflow.ReviewImplementation(id, sha, 0, 256 * 1024);
            var commit = evidence.Steps.SelectMany(step => step.Commits).FirstOrDefault();
            if (commit is null)
            {
                await BoardSecurity.Refuse(context, StatusCodes.Status404NotFound, $"Plan '{id}' has no step commit {sha}.");
                return;
            }

            await WriteHtml(context, CommitPage.Render(repository, id, commit));
        }
        catch (PlanRefusedException refusal)
        {
            await BoardSecurity.Refuse(context, StatusCodes.Status400BadRequest, $"{refusal.Code}: {refusal.Message}");
        }
    }

    private async Task Decide(HttpContext context)
    {
        var decision = (string)context.Request.RouteValues["decision"]!;
        if (Repository(context) is not { } repository || !OwnerDecision.All.Contains(decision))
        {
            await BoardSecurity.Refuse(context, StatusCodes.Status404NotFound, "No such repository or decision on this board.");
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        if (!context.Request.HasFormContentType)
        {
            await BoardSecurity.Refuse(context, StatusCodes.Status400BadRequest, "Send the decision with the form on the plan's page.");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!security.IsCsrfFor(form[BoardSecurity.CsrfField].ToString(), OwnerDecision.Purpose(repository, id, decision)))
        {
            await BoardSecurity.Refuse(context, StatusCodes.Status403Forbidden, "Refused: the form's CSRF token is missing or not for this plan and decision. Reload the plan's page and decide there.");
            return;
        }

        var workflow = repository.Workflow;
        var action = decision.Replace('-', '_');
        try
        {
            _ = decision switch
            {
                OwnerDecision.Integrate => (await workflow.IntegrateAsync(
                    id,
                    form["into"].ToString() is { Length: > 0 } into ? into : null,
                    repository.Integrator ?? throw new PlanRefusedException(RefusalCodes.InvalidArgument, "This board does not integrate; run mcpplan integrate in the repository."),
                    context.RequestAborted,
                    ApprovalChannels.Board)).Plan,
                OwnerDecision.Approve => workflow.Approve(id, options.OwnerName, ApprovalChannels.Board, options.Evidence, Required(form["sha256"].ToString(), "sha256")),
                OwnerDecision.RequestChanges => workflow.RequestChanges(id, form["note"].ToString(), ApprovalChannels.Board),
                OwnerDecision.Complete => workflow.Complete(id, ApprovalChannels.Board),
                _ => workflow.Abandon(id, form["reason"].ToString(), ApprovalChannels.Board),
            };
        }
        catch (PlanRefusedException refusal)
        {
            workflow.JournalRefusal(Actor.Owner, action, id, refusal, null, ApprovalChannels.Board);
            events.Changed(repository, [id]);
            var message = refusal.Code == RefusalCodes.PlanChanged
                ? "Nothing was approved: the plan's text changed after this page was loaded. Read the current text below and decide again."
                : $"Refused ({refusal.Code}): {refusal.Message}";
            await RenderPlan(context, repository, id, message, noticeIsError: true, StatusCodes.Status409Conflict);
            return;
        }

        repository.AfterDecision?.Invoke();
        events.Changed(repository, [id]);
        context.Response.Redirect($"{PlanPage.PathOf(repository, id)}?done={decision}");
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static string Required(string value, string name) =>
        value.Length > 0 ? value : throw new PlanRefusedException(RefusalCodes.InvalidArgument, $"The form sent no {name}. Reload the plan's page and decide there.");

    private BoardRepository? Repository(HttpContext context) =>
        context.Request.RouteValues["repo"] is string key ? options.Repositories.FirstOrDefault(repository => repository.Key == key) : null;

    private static Task WriteHtml(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
