namespace McpPlanServer.Cli.Commands;

/// <summary>The built-in example the demo runs: a small plan in the template's shape, with its two files.</summary>
public static class DemoPlan
{
    public const string Id = "greeting";

    public const string Text = """
        # Plan: Greeting module

        **Created**: 2026-11-24
        **Author**: mcpplan demo planner session
        **Estimated effort**: 1 hour
        **Risk level**: Low

        ## Summary
        Add a greeting template and its test so the app can greet a user by name.

        ## Requirements Clarified
        - Punctuation: the greeting ends with "!"

        ## Files to Create
        ### 1. `src/greeting.txt`
        **Purpose**: The greeting template.

        ### 2. `tests/greeting_test.sh`
        **Purpose**: Checks the rendered greeting.

        ## Implementation Steps
        1. **Create the template** in `src/greeting.txt`
           - Write "Hello, {name}!"
        2. **Add the test** in `tests/greeting_test.sh`
           - Render the template for "Ada" and compare with "Hello, Ada!"

        ## Success Criteria
        - [ ] `sh tests/greeting_test.sh` exits 0
        - [ ] `src/greeting.txt` contains the text "Hello, {name}!"

        ## Security Checklist
        - [ ] The test reads only files inside the repository and writes nothing

        ## Risks & Mitigation
        | Risk | Impact | Mitigation |
        |---|---|---|
        | Wrong placeholder | Low | The test renders it |

        ## Questions for Implementer
        - Placeholder syntax: use {name}
        """;

    public const string Test = """
        #!/bin/sh
        # Renders src/greeting.txt for Ada and checks the result.
        rendered=$(sed 's/{name}/Ada/' src/greeting.txt)
        [ "$rendered" = "Hello, Ada!" ] || { echo "got: $rendered"; exit 1; }
        echo "greeting ok"
        """;
}
