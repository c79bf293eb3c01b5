using System.Globalization;

namespace McpPlanServer.Mcp.Prompts;

/// <summary>The seed's plan template, the shape the parser and linter expect.</summary>
public static class PlanTemplateText
{
    /// <summary>The plan's author: the planner session, named by the MCP client it runs in.</summary>
    public static string AuthorFor(string? client) =>
        client is { Length: > 0 } name && name.Length <= 100 && !name.Any(char.IsControl) ? $"{name} planner session" : "planner session";

    public static string For(string feature, DateOnly today, string author) => $"""
        Write the plan with write_plan using exactly this structure. Every step names the files it touches; every
        success criterion is observable (a command, a status code, a test name), never "works".

        # Plan: {feature}

        **Created**: {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}
        **Author**: {author}
        **Estimated effort**: [hours]
        **Risk level**: Low | Medium | High

        ## Summary
        [2-3 sentences: what this plan accomplishes]

        ## Requirements Clarified
        - [Requirement]: [answer from the person]

        ## Files to Create
        ### 1. `path/to/new_file.ext` (~N lines)
        **Purpose**: [what it does]

        ## Files to Modify
        ### 1. `path/to/existing_file.ext`
        **Change**: [what changes and where]

        ## Implementation Steps
        1. **[Step name]** in `path/to/file.ext`
           - [sub-step]
        2. **[Step name]** in `path/to/other.ext`
           - [sub-step]

        ## Success Criteria
        - [ ] [Testable criterion: command, status code or test that shows it]

        ## Security Checklist
        - [ ] [Security item]

        ## Acceptance Tests
        **Command**: `[the command that runs them, e.g. dotnet test tests/Acceptance]`

        - `tests/acceptance/[name]_test.ext`: [what it proves]

        (Optional. Write each file with write_acceptance_file; the approval pins them, the server runs them at hand-in.)

        ## Risks & Mitigation
        | Risk | Impact | Mitigation |
        |---|---|---|
        | [Risk] | High/Med/Low | [How to prevent or handle] |

        ## Questions for Implementer
        - [Scenario]: [what to do]

        ## Estimated Effort Breakdown
        - [Part]: [time]
        """;
}
