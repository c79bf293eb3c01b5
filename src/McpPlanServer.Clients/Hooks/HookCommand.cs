using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Encodings.Web;
using McpPlanServer.Core.Lifecycle;

namespace McpPlanServer.Clients.Hooks;

/// <summary>
/// <c>mcpplan hook</c>: Claude Code's PreToolUse hook. Allowed calls get no output and exit 0, so the normal
/// permission flow continues; denied calls get a <c>permissionDecision: deny</c> with a reason that says what to
/// do instead. Anything the hook cannot judge (bad input, unknown role, unreadable config, a bug) exits 2, which
/// Claude Code treats as blocking: every other non-zero exit would let the call through.
/// </summary>
public static class HookCommand
{
    /// <summary>Exit code Claude Code treats as "block this call, show stderr to the model".</summary>
    public const int BlockingExitCode = 2;

    /// <summary>The default format: Claude Code's PreToolUse.</summary>
    public const string ClaudeClient = "claude";

    /// <summary>Each client's hook format: how its input is read and how it wants the answer.</summary>
    private static readonly Dictionary<string, Func<string, HookCall>> Formats = new(StringComparer.Ordinal)
    {
        [ClaudeClient] = input => new HookCall([HookRequestParser.Parse(input)], ClaudeAnswer),
        [CodexHookFormat.Client] = input => new HookCall(CodexHookFormat.Parse(input), ClaudeAnswer),
        [GeminiHookFormat.Client] = input => new HookCall([GeminiHookFormat.Parse(input)], GeminiHookFormat.Answer),
        [CursorHookFormat.Client] = CursorHookFormat.Parse,
        [CopilotHookFormat.Client] = CopilotHookFormat.Parse,
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(TextReader stdin, TextWriter stdout, TextWriter stderr, string? roleFromEnvironment) =>
        Run(stdin, stdout, stderr, roleFromEnvironment, HookEnvironment.FromProcess());

    public static int Run(TextReader stdin, TextWriter stdout, TextWriter stderr, string? roleFromEnvironment, HookEnvironment environment, string? client = null)
    {
        try
        {
            var parse = Formats.TryGetValue(client ?? ClaudeClient, out var format)
                ? format
                : throw new HookInputException($"mcpplan hook --client {client}: no hook format for that client; use {string.Join(", ", Formats.Keys)} (docs/clients.md says what each client enforces).");
            var role = ParseRole(roleFromEnvironment);
            var call = parse(stdin.ReadToEnd());
            var policy = HookPolicyLoader.Load(environment.ProjectDirectory, call.Requests[0].WorkingDirectory, environment.HomeDirectory, environment.ClientConfigDirectory);
            var evaluator = new HookEvaluator(role, policy);
            var decisions = call.Requests.Select(evaluator.Evaluate).ToList();
            if (call.ObservedBy is { } observer)
            {
                var deniedEdits = call.Requests.Where((_, index) => decisions[index].IsDenied).ToList();
                ObservedEditRecorder.Record(policy, deniedEdits, observer, role.ToName());
                decisions = [HookDecision.Allow];
            }

            if (call.Answer(decisions.FirstOrDefault(d => d.IsDenied) ?? decisions[0]) is { } answer)
            {
                stdout.Write(Serialize(answer));
                stdout.Flush();
            }

            return 0;
        }
        catch (HookInputException exception)
        {
            return Block(stderr, exception.Message);
        }
        catch (Exception exception)
        {
            return Block(stderr, $"mcpplan hook failed ({exception.GetType().Name}: {exception.Message}); the call is blocked to be safe. "
                + "Report this with the command that triggered it.");
        }
    }

    private static Actor ParseRole(string? roleFromEnvironment)
    {
        // Same rule as ${MCPPLAN_ROLE:-observer} in .mcp.json: unset or empty means observer.
        if (string.IsNullOrEmpty(roleFromEnvironment))
        {
            return Actor.Observer;
        }

        if (!ActorNames.TryParseAgentRole(roleFromEnvironment, out var role))
        {
            throw new HookInputException(
                $"MCPPLAN_ROLE is '{roleFromEnvironment}', which is not a role. Start the session with MCPPLAN_ROLE=planner, implementer or observer.");
        }

        return role;
    }

    /// <summary>Claude Code's deny answer, which Codex CLI and VS Code read too.</summary>
    internal static JsonObject ClaudeDeny(string reason) => new()
    {
        ["hookSpecificOutput"] = new JsonObject
        {
            ["hookEventName"] = "PreToolUse",
            ["permissionDecision"] = "deny",
            ["permissionDecisionReason"] = reason,
        },
    };

    private static JsonObject? ClaudeAnswer(HookDecision decision) => decision.IsDenied ? ClaudeDeny(decision.Reason!) : null;

    private static string Serialize(JsonObject output)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            output.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static int Block(TextWriter stderr, string message)
    {
        try
        {
            stderr.WriteLine(message.StartsWith("mcpplan", StringComparison.Ordinal) ? message : "mcpplan hook: " + message);
            stderr.Flush();
        }
        catch (IOException)
        {
            // Nowhere left to explain; the exit code still blocks the call.
        }

        return BlockingExitCode;
    }
}
