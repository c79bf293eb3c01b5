#!/usr/bin/env python3
"""Start-up of `mcpplan hook` as Claude Code runs it: one process per tool call, a typical PreToolUse payload (an
implementer's Bash call) on stdin. Prints the median, p90, p95 and minimum of the wall time and of the CPU time (user +
system, from wait4, so it holds on a busy machine where the wall time does not).

    bench/hook-startup.py EXE [RUNS] [HOOK-OPTIONS...]   e.g. --client=claude sends the call through the command line parser
"""
import json, os, subprocess, sys, tempfile, time

exe, runs, options = os.path.realpath(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50, sys.argv[3:]
with tempfile.TemporaryDirectory() as repo:
    subprocess.run(["git", "-C", repo, "init", "-q"], check=True)
    subprocess.run([exe, "init", "--repo", repo, "--allow-machine-path"], check=True, capture_output=True)
    payload = json.dumps({
        "session_id": "s", "transcript_path": "/tmp/t.jsonl", "cwd": repo, "permission_mode": "default",
        "hook_event_name": "PreToolUse", "tool_name": "Bash",
        "tool_input": {"command": "git status && dotnet test tests/App.Tests --filter Unit > out.txt", "description": "Run tests"},
    }).encode()
    environment = dict(os.environ, MCPPLAN_ROLE="implementer")
    wall, cpu = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([exe, "hook", *options], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment, cwd=repo)
        process.stdin.write(payload)
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
        if process.returncode != 0:
            sys.exit(f"the hook exited {process.returncode}")


def summary(values):
    values = sorted(values)
    def percentile(share):
        return values[max(int(len(values) * share) - 1, 0)]
    return f"median {values[(len(values) - 1) // 2]:.1f} ms  p90 {percentile(0.9):.1f} ms  p95 {percentile(0.95):.1f} ms  min {values[0]:.1f} ms"


print(f"{' '.join(['hook', *options])}: runs {runs}  wall {summary(wall)}  cpu (user+sys) {summary(cpu)}")
