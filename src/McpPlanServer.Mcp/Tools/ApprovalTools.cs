using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlanServer.Core.Lifecycle;
using McpPlanServer.Core.Plans;
using McpPlanServer.Core.Records;
using McpPlanServer.Core.Workflow;
using McpPlanServer.Mcp.Hosting;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpPlanServer.Mcp.Tools;

/// <summary>
/// How the planner brings the person in. request_approval names the exact CLI command (with the text's hash); only where
/// the person turned the form on (elicitApproval) and no client hook can answer it does it show the client's form, whose
/// answer is recorded as the client's word (channel elicitation), never as a person's.
/// await_approval waits for the person's decision with progress notifications, so the model need not poll.
/// </summary>
public static class ApprovalTools
{
    private static readonly IntegerParameter TimeoutSeconds = new("timeout_seconds", 1, PlanLimits.MaxApprovalWaitSeconds) { Default = PlanLimits.DefaultApprovalWaitSeconds };

    /// <summary>Why the form is not offered (a sentence for the planner), or null when it may be.</summary>
    private static string? WhyNoForm(ToolContext context, ToolCall call)
    {
        if (!context.Workflow.Config.ElicitApproval)
        {
            return "the in-client form is off (elicitApproval in .claude/mcpplan.json).";
        }

        if (call.Server.ClientCapabilities?.Elicitation is null)
        {
            return "this client offers no approval form.";
        }

        var hooks = FormAnsweringHooks.Find(FormAnsweringHooks.SettingsFiles(
            context.RepositoryRoot, Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR")));
        return hooks.Count == 0
            ? null
            : $"the form is not offered because a hook could answer it without the person: {string.Join("; ", hooks)}.";
    }

    public static IEnumerable<PlanTool> Create(ToolContext context)
    {
        var workflow = context.Workflow;

        yield return context.Create(
            new ToolSpec(
                "request_approval",
                "Request approval",
                "Ask the person to approve a plan in Review; gives the CLI command.",
                [Actor.Planner],
                ReadOnly: false,
                Destructive: false,
                ToolParameters.PlanIdOnly,
                """{"type":"object","properties":{"id":{"type":"string"},"status":{"type":"string"},"decision":{"type":"string"}},"required":["id","status","decision"]}"""),
            async (call, cancellationToken) =>
            {
                var (plan, lint) = workflow.ReadForApproval(call.Arguments.Text(ToolParameters.PlanId));

                var withoutForm = WhyNoForm(context, call);
                if (withoutForm is not null)
                {
                    var result = PlannerTools.ApprovalRequest(plan, lint.Summary, $"The person approves in their own terminal with approve_command (or request_changes_command); {withoutForm} Tell them; do not approve on their behalf. await_approval waits for the decision.");
                    result["decision"] = "pending";
                    return result;
                }

                var client = call.Server.ClientInfo?.Name is { Length: > 0 } name ? name : "an unnamed MCP client";
                var form = await call.Server.ElicitAsync(
                    new ElicitRequestParams
                    {
                        Message = $"Approve plan '{plan.Id}' — \"{plan.Document.Title}\"?\n" +
                            $"Text revision {plan.Record.TextRevision}, sha256 {plan.ApprovalSha256[..16]}…, lint: {lint.Summary}, {plan.Document.Steps.Count} steps.\n" +
                            "This question is for the person, not the AI. Approving lets the implementer start on exactly this text.",
                        RequestedSchema = new ElicitRequestParams.RequestSchema
                        {
                            Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                            {
                                ["approve"] = new ElicitRequestParams.BooleanSchema { Title = "Approve this plan", Description = $"sha256 {plan.ApprovalSha256[..16]}…" },
                                ["note"] = new ElicitRequestParams.StringSchema { Title = "Changes to request (if not approving)", MaxLength = 2000 },
                            },
                            Required = ["approve"],
                        },
                    },
                    cancellationToken);

                // The server cannot tell a person's answer from a program's: the form's answer is the client's word.
                var word = $"the approval form of {client}";
                if (form.Action != "accept")
                {
                    var past = form.Action switch { "decline" => "declined", "cancel" => "cancelled", _ => $"answered '{form.Action}' to" };
                    workflow.JournalRefusal(Actor.Owner, "approve", plan.Id.Value, new PlanRefusedException(RefusalCodes.ApprovalDeclined, $"{word} was {past}"), null);
                    var declined = PlannerTools.ApprovalRequest(plan, lint.Summary, $"The approval form was {past}; the plan stays in Review. Ask the person what to change.");
                    declined["decision"] = form.Action;
                    return declined;
                }

                if (form.Content?.TryGetValue("approve", out var value) != true || value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    var invalid = new PlanRefusedException(
                        RefusalCodes.InvalidAnswer,
                        $"{word} came back 'accept' without a true/false 'approve' field: not an answer, so nothing changed. Ask again, or the person approves in their own terminal: mcpplan approve {plan.Id} --sha {plan.ApprovalSha256[..16]}");
                    workflow.JournalRefusal(Actor.Owner, "approve", plan.Id.Value, invalid, null);
                    throw invalid;
                }

                var note = form.Content.TryGetValue("note", out var noteValue) && noteValue.ValueKind == JsonValueKind.String ? noteValue.GetString() : null;
                if (value.ValueKind == JsonValueKind.True)
                {
                    // Approve checks again under the lock that the text is exactly the one shown in the form.
                    var approved = workflow.Approve(plan.Id.Value, $"{client} (form)", ApprovalChannels.Elicitation, new ApprovalEvidence(false, [], [], client), plan.ApprovalSha256);
                    var result = PlannerTools.State(approved, $"Approved text revision {approved.Record.TextRevision} through {word}: recorded as the client's word (channel elicitation), not proof of a person.");
                    result["decision"] = "approved";
                    return result;
                }

                var changed = workflow.RequestChanges(plan.Id.Value, string.IsNullOrWhiteSpace(note) ? "Changes requested in the approval form (no note)." : note);
                var requested = PlannerTools.State(changed, $"Changes requested through {word}: {changed.Record.OwnerNote}");
                requested["decision"] = "changes_requested";
                return requested;
            });

        yield return context.Create(
            new ToolSpec(
                "await_approval",
                "Await approval",
                "Wait for the person's decision or the timeout.",
                [Actor.Planner],
                ReadOnly: true,
                Destructive: false,
                [ToolParameters.PlanId, TimeoutSeconds],
                """{"type":"object","properties":{"id":{"type":"string"},"outcome":{"type":"string","enum":["approved","changes_requested","abandoned","timed_out"]}},"required":["id","outcome"]}"""),
            async (call, cancellationToken) =>
            {
                var id = call.Arguments.Text(ToolParameters.PlanId);
                var timeout = TimeSpan.FromSeconds(call.Arguments.Integer(TimeoutSeconds));
                var progressToken = call.Request.Params?.ProgressToken;
                var decision = await workflow.AwaitDecisionAsync(
                    id,
                    timeout,
                    progressToken is not { } token ? null : async (plan, waited, cancel) => await call.Server.NotifyProgressAsync(token, new ProgressNotificationValue
                    {
                        Progress = (float)waited.TotalSeconds,
                        Total = (float)timeout.TotalSeconds,
                        Message = $"Waiting for the person to approve '{plan.Id}' ({waited.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)",
                    }, cancellationToken: cancel),
                    cancellationToken);
                var decided = decision.Plan;
                var result = PlannerTools.State(decided, decision.Outcome switch
                {
                    ApprovalOutcome.Approved => $"Approved by {decided.Record.Approval?.Approver}.",
                    ApprovalOutcome.ChangesRequested => $"The person requested changes: {decided.Record.OwnerNote}",
                    ApprovalOutcome.Abandoned => $"The person abandoned the plan: {decided.Record.OwnerNote}",
                    _ => $"No decision within {timeout.TotalSeconds:0} s; the plan is still {decided.State}. Call await_approval again to keep waiting.",
                });
                result["outcome"] = decision.Outcome switch
                {
                    ApprovalOutcome.Approved => "approved",
                    ApprovalOutcome.ChangesRequested => "changes_requested",
                    ApprovalOutcome.Abandoned => "abandoned",
                    _ => "timed_out",
                };
                return result;
            });
    }
}
