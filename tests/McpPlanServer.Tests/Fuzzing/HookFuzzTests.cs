using System.Diagnostics;
using System.Text;
using McpPlanServer.Clients.Hooks;
using McpPlanServer.Tests.Hooks;

namespace McpPlanServer.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the hook's lexer → analysis → decision path with generated and mutated command lines (quotes,
/// substitutions, here-documents, subshells, wrappers, globs with many stars, long words). No exception may escape
/// (a block with exit 2 is a clean answer), the same input must get the same decision twice, and the slowest input
/// is reported. A run stops after its iterations or about ten seconds, whichever comes first, and prints its seed and how
/// many inputs it tried. MCPPLAN_FUZZ_SEED and MCPPLAN_FUZZ_ITERATIONS replay or lengthen a run (a replay runs them all).
/// </summary>
[Trait("Speed", "Long")]
public sealed class HookFuzzTests(HookRepositoryFixture repository, ITestOutputHelper output) : IClassFixture<HookRepositoryFixture>
{
    private static readonly string[] Fragments =
    [
        "git", "commit", "-am", "x", "mcpplan", "approve", "p", "cd", "..", "/tmp", ".claude", "plans/Active/p.md", ".mcp.json", "src/*.cs",
        "*a*a*a*a*a*a*a*a*a*a*a", "echo", ">", ">>", "2>&1", "|", "||", "&&", ";", "&", "(", ")", "$(", "`", "'", "\"", "<<EOF\n", "\nEOF\n",
        "env", "-u", "CLAUDECODE", "unset", "xargs", "bash", "-c", "eval", "sudo", "timeout", "5", "find", ".", "-exec", "{}", "+", "\\;", "rm",
        "-rf", "cp", "mv", "tee", "sed", "-i", "$HOME", "~", "${X:-y}", "$((1+2))", "<(", "#", "\\\n", "\t", "pushd", "popd", "-", "source",
        "python3", "-c", "'import os; os.system(\"mcpplan approve p\")'", "git -c alias.ci=commit ci", "dd", "of=.mcp.json", "[a-", "[!x]", "?",
    ];

    private const string Specials = "()'\"`$\\;|&<>{}[]*?~#\n\0é";

    [Fact]
    public void Generated_command_lines_get_a_deterministic_decision_and_never_throw()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_SEED"), out var configured) ? configured : Environment.TickCount;
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_ITERATIONS"), out var count) ? count : 1_500;
        var random = new Random(seed);
        var roles = new[] { "planner", "implementer", "observer" };
        var slowest = TimeSpan.Zero;
        var slowestInput = "";
        var outcomes = new Dictionary<HookOutcome, int>();
        var budget = Environment.GetEnvironmentVariable("MCPPLAN_FUZZ_SEED") is null ? TimeSpan.FromSeconds(10) : TimeSpan.MaxValue;
        var run = Stopwatch.StartNew();
        var tried = 0;
        output.WriteLine($"hook fuzz: seed {seed} (MCPPLAN_FUZZ_SEED={seed} replays it)");
        for (var i = 0; i < iterations && run.Elapsed < budget; i++, tried++)
        {
            var command = i % 4 == 3 ? Mutate(random, Generate(random)) : Generate(random);
            var role = roles[random.Next(roles.Length)];
            var payload = HookRun.Payload("Bash", HookRun.ToolInput("Bash", command), repository.Repo);
            var watch = Stopwatch.StartNew();
            HookRun first;
            try
            {
                first = HookRun.Execute(payload, role, new HookEnvironment(null, repository.Home));
            }
            catch (Exception error)
            {
                Assert.Fail($"seed {seed}, input {i} ({role}): {error.GetType().Name} escaped the hook: {error.Message}\n{command}");
                throw;
            }

            watch.Stop();
            Assert.False(first.Stderr.Contains("hook failed", StringComparison.Ordinal), $"seed {seed}, input {i}: an internal error: {first.Stderr}\n{command}");
            var second = HookRun.Execute(payload, role, new HookEnvironment(null, repository.Home));
            Assert.True(first == second, $"seed {seed}, input {i}: two runs decided differently\n{command}");
            outcomes[first.Outcome] = outcomes.GetValueOrDefault(first.Outcome) + 1;
            if (watch.Elapsed > slowest)
            {
                (slowest, slowestInput) = (watch.Elapsed, command);
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"seed {seed}, input {i} took {watch.Elapsed.TotalSeconds:0.0} s: a hang\n{command}");
        }

        output.WriteLine($"hook fuzz: seed {seed}, {tried} of {iterations} inputs in {run.Elapsed.TotalSeconds:0.0} s, {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}, "
            + $"slowest {slowest.TotalMilliseconds:0.0} ms ({slowestInput.Length} chars)");
    }

    private static string Generate(Random random)
    {
        var text = new StringBuilder();
        var words = random.Next(1, 40);
        for (var w = 0; w < words; w++)
        {
            text.Append(Fragments[random.Next(Fragments.Length)]);
            text.Append(random.Next(6) == 0 ? "" : " ");
        }

        if (random.Next(20) == 0)
        {
            text.Append(new string('a', random.Next(1, 5_000)));
        }

        return text.ToString();
    }

    private static string Mutate(Random random, string text)
    {
        var chars = text.ToCharArray().ToList();
        var edits = random.Next(1, 10);
        for (var e = 0; e < edits && chars.Count > 0; e++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, Specials[random.Next(Specials.Length)]);
                    break;
                default:
                    chars[at] = (char)random.Next(1, 0x3000);
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
