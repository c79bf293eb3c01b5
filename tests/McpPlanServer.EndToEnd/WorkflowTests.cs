using McpPlanServer.EndToEnd.Support;

namespace McpPlanServer.EndToEnd;

/// <summary>The two roles' real servers and the owner's CLI working one repository through the lifecycle.</summary>
public sealed class WorkflowTests
{
    [Fact]
    public async Task Plan_goes_from_review_to_active_with_the_owner_in_between_and_a_blocker_is_answered()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");

        var written = await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal("awaiting_approval", written.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Review", "greeting.md")));

        var noActive = await implementer.CallAsync("read_active_plan");
        Assert.True(noActive.IsError);
        Assert.Contains("mcpplan approve", ServerSession.Text(noActive));

        var request = await planner.CallOkAsync("request_approval", new { plan_id = "greeting" });
        Assert.Equal($"mcpplan approve greeting --sha {request.GetProperty("sha256").GetString()![..16]}", request.GetProperty("approve_command").GetString());

        var approve = await repository.ApproveAsync("greeting", "--by", "Ada");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.True(File.Exists(Path.Combine(repository.PlansRoot, "Active", "greeting.md")));

        var active = await implementer.CallOkAsync("read_active_plan");
        Assert.Equal("greeting", active.GetProperty("id").GetString());
        Assert.Equal(1, active.GetProperty("next_step").GetProperty("number").GetInt32());
        Assert.True(active.GetProperty("approval").GetProperty("valid").GetBoolean());
        Assert.Equal("Ada", active.GetProperty("approval").GetProperty("approver").GetString());

        var blocked = await implementer.CallOkAsync("report_blocker", new { plan_id = "greeting", step = 1, question = "Should the greeting end with '!'?" });
        Assert.Equal("blocked", blocked.GetProperty("status").GetString());

        var seenByPlanner = await planner.CallOkAsync("read_plan", new { plan_id = "greeting" });
        var blocker = seenByPlanner.GetProperty("blockers")[0];
        Assert.True(blocker.GetProperty("open").GetBoolean());

        var answered = await planner.CallOkAsync("answer_blocker", new { plan_id = "greeting", blocker_id = blocker.GetProperty("id").GetInt32(), answer = "Yes, keep the '!'." });
        Assert.Equal("implementing", answered.GetProperty("status").GetString());

        var afterAnswer = await implementer.CallOkAsync("read_active_plan", new { plan_id = "greeting" });
        Assert.Equal("Yes, keep the '!'.", afterAnswer.GetProperty("answered_blockers")[0].GetProperty("answer").GetString());
        Assert.True(afterAnswer.GetProperty("approval").GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_revision_after_approval_voids_it_and_the_owner_approves_again()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        var stale = await planner.CallAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Version 2."), expected_revision = 7 });
        Assert.True(stale.IsError);
        Assert.Contains("stale_revision", ServerSession.Text(stale));

        var revised = await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting(" Version 2."), expected_revision = 1 });
        Assert.True(revised.GetProperty("approval_voided").GetBoolean());
        Assert.Equal("review", revised.GetProperty("state").GetString());
        Assert.Equal(2, revised.GetProperty("text_revision").GetInt32());

        var status = await repository.CliAsync("status");
        Assert.Contains("greeting", status.Output);
        Assert.Contains("awaiting_approval", status.Output);
        Assert.True((await implementer.CallAsync("read_active_plan")).IsError);

        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);
        var active = await implementer.CallOkAsync("read_active_plan");
        Assert.Equal(2, active.GetProperty("approval").GetProperty("text_revision").GetInt32());
        Assert.True(active.GetProperty("approval").GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_hand_edit_of_an_active_plan_makes_it_unapproved()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var implementer = await ServerSession.StartAsync(repository, "implementer");
        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        File.AppendAllText(Path.Combine(repository.PlansRoot, "Active", "greeting.md"), "\n- [ ] One more criterion added by hand\n");

        var plan = await implementer.CallOkAsync("read_active_plan");
        Assert.False(plan.GetProperty("approval").GetProperty("valid").GetBoolean());
        var handIn = await implementer.CallAsync("submit_for_review", new { plan_id = "greeting" });
        Assert.True(handIn.IsError);
        Assert.Contains("mcpplan approve greeting", ServerSession.Text(handIn));
        Assert.Contains("(unapproved)", (await repository.CliAsync("status")).Output);
    }

    [Fact]
    public async Task The_client_is_notified_when_a_plan_changes_state_in_another_process()
    {
        using var repository = await TestRepository.CreateAsync();
        await using var planner = await ServerSession.StartAsync(repository, "planner");
        await using var observer = await ServerSession.StartAsync(repository, "observer");

        await planner.CallOkAsync("write_plan", new { plan_id = "greeting", text = SamplePlans.Greeting() });
        Assert.Equal(0, (await repository.ApproveAsync("greeting")).ExitCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (observer.Notifications.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.NotEmpty(observer.Notifications);
        var resources = await observer.Client.ListResourcesAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(resources, resource => resource.Uri == "plan://greeting");
        var text = await observer.Client.ReadResourceAsync("plan://greeting", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains("# Plan: Greeting module", ((ModelContextProtocol.Protocol.TextResourceContents)text.Contents[0]).Text);
    }
}
