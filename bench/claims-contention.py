#!/usr/bin/env python3
"""Claims under contention (issue 11): WORKERS implementer servers (`mcpplan serve --role implementer`, one per linked
worktree of one repository) each claim a random one of PLANS approved plans by id (`read_active_plan` with
`claim: true`) for SECONDS, hold a granted claim 1-4 ms, then `release_plan`. Prints claims granted and refused (by
code), double grants, and the claim call's latency p50/p99 as the client sees it (stdio round trip included).

A double grant is two workers holding the same plan at once: each holder's window runs from the grant's answer to the
release being sent (inside the server's real window), and windows of one plan from two workers must not overlap; a fence
handed out twice counts too.

    bench/claims-contention.py EXE [SECONDS] [WORKERS] [PLANS]        e.g. src/McpPlanServer.Cli/bin/Release/net10.0/mcpplan 60 8 4
"""
import json, os, random, re, subprocess, sys, tempfile, threading, time

exe = os.path.realpath(sys.argv[1])
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
workers = int(sys.argv[3]) if len(sys.argv) > 3 else 8
plans = int(sys.argv[4]) if len(sys.argv) > 4 else 4
KEPT = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR", "DOTNET_ROOT", "DOTNET_CLI_HOME", "NUGET_PACKAGES"]

PLAN = """# Plan: Part {n}

**Created**: 2026-12-02
**Author**: Claude Zero
**Risk level**: Low

## Summary
Write part {n} and its check.

## Files to Create
### 1. `src/part{n}.txt`
### 2. `tests/part{n}.sh`

## Implementation Steps
1. **Write the part** in `src/part{n}.txt`
2. **Add the check** in `tests/part{n}.sh`

## Success Criteria
- [ ] `src/part{n}.txt` holds the line "part {n}"
- [ ] `sh tests/part{n}.sh` exits 0
"""


def git(*arguments, cwd):
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True)


def person(*arguments, cwd):
    """The person's CLI outside this process's ancestry and environment (as the end-to-end tests run it)."""
    with tempfile.NamedTemporaryFile(delete=False) as status:
        path = status.name
    process = subprocess.Popen(["/usr/bin/setsid", "-f", "/bin/sh", "-c", 'read _ignored; "$@"; echo $? > "$0"', path, exe, *arguments],
                               cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={name: os.environ[name] for name in KEPT if name in os.environ})
    output, error = process.communicate("\n")
    for _ in range(200):
        if os.path.getsize(path) > 0:
            break
        time.sleep(0.05)
    code = int(open(path).read().strip() or "1")
    os.unlink(path)
    if code != 0:
        sys.exit(f"mcpplan {' '.join(arguments)} exited {code}: {output}{error}")
    return output


class Server:
    def __init__(self, role, repo):
        self.process = subprocess.Popen([exe, "serve", "--role", role, "--repo", repo], cwd=repo, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit(f"the {method} server ended")
            message = json.loads(line)
            if message.get("id") == self.next_id:
                return message["result"]

    def call(self, tool, arguments):
        result = self.request("tools/call", {"name": tool, "arguments": arguments})
        text = "".join(block.get("text", "") for block in result.get("content", []))
        return (not result.get("isError", False)), result.get("structuredContent"), text

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else float("nan")


with tempfile.TemporaryDirectory() as outer:
    repo = os.path.join(outer, "repo")
    os.makedirs(repo)
    git("init", "-q", "-b", "main", cwd=repo)
    git("config", "user.name", "Bench", cwd=repo)
    git("config", "user.email", "bench@example.com", cwd=repo)
    open(os.path.join(repo, "README.md"), "w").write("bench\n")
    git("add", "README.md", cwd=repo)
    git("commit", "-q", "-m", "initial", cwd=repo)
    planner = Server("planner", repo)
    ids = [f"part-{n}" for n in range(1, plans + 1)]
    for n, plan in enumerate(ids, 1):
        ok, _, text = planner.call("write_plan", {"plan_id": plan, "text": PLAN.format(n=n)})
        if not ok:
            sys.exit(f"write_plan {plan}: {text}")
    planner.close()
    for plan in ids:
        sha = re.search(r"--sha ([0-9a-f]{16})", person("show", plan, "--repo", repo, cwd=repo)).group(1)
        person("approve", plan, "--sha", sha, "--by", "Bench", "--repo", repo, cwd=repo)

    servers = []
    for worker in range(workers):
        worktree = os.path.join(repo, ".claude", "worktrees", f"w{worker}")
        git("worktree", "add", "-q", "-b", f"wt-{worker}", worktree, cwd=repo)
        servers.append(Server("implementer", worktree))

    latencies, granted_latencies, refused, windows, fences, errors = [], [], {}, [], [], []
    lock = threading.Lock()
    start_barrier = threading.Barrier(workers)

    def work(worker, server):
        rng = random.Random(worker)
        start_barrier.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            plan = rng.choice(ids)
            sent = time.perf_counter()
            ok, content, text = server.call("read_active_plan", {"plan_id": plan, "claim": True})
            answered = time.perf_counter()
            with lock:
                latencies.append((answered - sent) * 1000)
            if not ok:
                code = (re.search(r"\b([a-z]+(?:_[a-z]+)+)\b", text) or re.search(r"(.*)", text)).group(1)
                with lock:
                    refused[code] = refused.get(code, 0) + 1
                continue
            time.sleep(rng.uniform(0.001, 0.004))
            releasing = time.perf_counter()
            with lock:
                granted_latencies.append((answered - sent) * 1000)
                windows.append((plan, worker, answered, releasing))
                fences.append((plan, content["claim"]["fence"], worker))
            ok, _, text = server.call("release_plan", {"plan_id": plan})
            if not ok:
                with lock:
                    errors.append(text)

    threads = [threading.Thread(target=work, args=(worker, server)) for worker, server in enumerate(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for server in servers:
        server.close()

    doubles = 0
    for plan in ids:
        held = sorted((start, end, worker) for p, worker, start, end in windows if p == plan)
        doubles += sum(1 for (s1, e1, w1), (s2, e2, w2) in zip(held, held[1:]) if s2 < e1 and w1 != w2)
    doubles += len(fences) - len({(plan, fence) for plan, fence, _ in fences})
    print(f"claims: {workers} implementer servers, {plans} plans, {seconds:.0f} s: {len(windows)} granted, "
          f"{sum(refused.values())} refused ({', '.join(f'{code} {count}' for code, count in sorted(refused.items()))}), "
          f"{doubles} double grants, {len(errors)} failed releases")
    print(f"claim call latency (client round trip): all p50 {percentile(latencies, 0.5):.1f} ms p99 {percentile(latencies, 0.99):.1f} ms; "
          f"granted p50 {percentile(granted_latencies, 0.5):.1f} ms p99 {percentile(granted_latencies, 0.99):.1f} ms")
