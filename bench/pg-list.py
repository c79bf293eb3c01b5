#!/usr/bin/env python3
"""`list_plans` and the server's start-up on the PostgreSQL store with a repository already in the database (e.g. the
10,000 plans the bench's `postgres` group imports; find its id with
`SELECT repository, count(*) FROM mcpplan_plans GROUP BY 1`). One planner server over stdio, as a client starts it:

- start-up: spawn → `initialize` answered → first `list_plans` answered (the start-up reconciles every plan first), over
  STARTS fresh processes;
- then one server: `list_plans` first page, a later page (offset total-100) and a state filter, CALLS times each;
  `read_plan` of random plans; the peak RSS (VmHWM) of that server;
- `list_plans` first page right after another connection changed one plan row (`psql`, a no-op UPDATE of a plan not on
  the page: the listing version moves, the plan's stamp does not; the call 50 ms after psql exits), i.e. the cost of
  bringing the kept listing up to date;
- with `MCPPLAN_LOCK_LOG` set by this script, the time each call took inside the server (`tool:<name>`), so the pipe and
  the client are told apart from the server, and the listing's parts: the store's listing kept, brought up to date from
  the rows written since or read whole (`listing:kept|rows-since|whole`), and the listing's order over all plans
  (`listing:order`, only when the store gave a new listing).

    bench/pg-list.py EXE CONNECTION REPOSITORY [CALLS] [STARTS]
"""
import json, os, random, shutil, subprocess, sys, tempfile, time

exe, connection, repository = os.path.realpath(sys.argv[1]), sys.argv[2], sys.argv[3]
calls = int(sys.argv[4]) if len(sys.argv) > 4 else 60
starts = int(sys.argv[5]) if len(sys.argv) > 5 else 3
logs = tempfile.mkdtemp(prefix="mcpplan-pglist-")
environment = dict(os.environ, MCPPLAN_LOCK_LOG=logs)
next_id = [0]


def request(process, method, params):
    next_id[0] += 1
    process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params}) + "\n").encode())
    process.stdin.flush()
    while True:
        line = process.stdout.readline()
        if not line:
            sys.exit("the server closed its output: " + process.stderr.read().decode()[-2000:])
        answer = json.loads(line)
        if answer.get("id") == next_id[0]:
            if "error" in answer or answer.get("result", {}).get("isError"):
                sys.exit(f"refused: {line[:400]!r}")
            return answer


def tool(process, name, arguments):
    return request(process, "tools/call", {"name": name, "arguments": arguments})["result"]["structuredContent"]


def start(repo):
    began = time.perf_counter()
    process = subprocess.Popen([exe, "serve", "--role", "planner", "--repo", repo], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, cwd=repo, env=environment)
    request(process, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "pg-list", "version": "1"}})
    initialized = (time.perf_counter() - began) * 1000
    process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    page = tool(process, "list_plans", {})
    return process, initialized, (time.perf_counter() - began) * 1000, page["total"]


def timed(function):
    began = time.perf_counter()
    function()
    return (time.perf_counter() - began) * 1000


def stats(values):
    values = sorted(values)
    return f"p50 {values[(len(values) - 1) // 2]:.2f} / p99 {values[min(len(values) - 1, int(len(values) * 0.99))]:.2f} ms (n={len(values)})"


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


repo = tempfile.mkdtemp(prefix="mcpplan-pglist-repo-")
try:
    for command in (["init", "-q", "-b", "main"], ["config", "user.name", "Bench"], ["config", "user.email", "bench@example.com"]):
        subprocess.run(["git", "-C", repo, *command], check=True)
    os.makedirs(os.path.join(repo, ".claude"))
    with open(os.path.join(repo, ".claude", "mcpplan.json"), "w") as config:
        json.dump({"store": {"kind": "postgres", "connection": connection, "repository": repository}}, config)
    subprocess.run(["git", "-C", repo, "add", "-A"], check=True)
    subprocess.run(["git", "-C", repo, "commit", "-q", "-m", "plans in PostgreSQL"], check=True)
    print(f"{exe} on repository {repository}; load average {load()}")
    initialized, first = [], []
    for _ in range(starts):
        process, to_initialize, to_list, total = start(repo)
        initialized.append(to_initialize)
        first.append(to_list)
        process.stdin.close()
        process.wait()
    print(f"start-up ({total} plans): to initialize {stats(initialized)}; to the first list_plans {stats(first)}; load {load()}")
    process, _, _, total = start(repo)
    later = {"offset": max(total - 100, 0)}
    cases = [("list_plans first page", {}), ("list_plans last page", later), ("list_plans state=review", {"state": "review"})]
    for _ in range(3):
        for _, arguments in cases:
            tool(process, "list_plans", arguments)
    for name, arguments in cases:
        print(f"{name}: {stats([timed(lambda: tool(process, 'list_plans', arguments)) for _ in range(calls)])}; load {load()}")
    settings = dict(part.split("=", 1) for part in connection.split(";") if "=" in part)
    psql = ["psql", "-q", "-h", settings.get("Host", "127.0.0.1"), "-p", settings.get("Port", "5432"), "-U", settings.get("Username", "postgres"), settings.get("Database", "postgres")]
    changed = []
    for round in range(calls):
        subprocess.run([*psql, "-c", f"UPDATE mcpplan_plans SET text_version = text_version WHERE repository = '{repository}' AND plan_id = 'plan-{9000 + round}'"],
                       check=True, stdout=subprocess.DEVNULL)
        time.sleep(0.05)  # psql's exit and its backend's teardown out of the way: the call alone is timed
        changed.append(timed(lambda: tool(process, "list_plans", {})))
    print(f"list_plans first page after another connection changed a plan: {stats(changed)}; load {load()}")
    ids = [plan["id"] for plan in tool(process, "list_plans", {"limit": 500})["plans"]]
    chooser = random.Random(42)
    print(f"read_plan: {stats([timed(lambda: tool(process, 'read_plan', {'plan_id': chooser.choice(ids)})) for _ in range(calls)])}; load {load()}")
    with open(f"/proc/{process.pid}/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print(f"peak RSS of the server: {int(peak) / 1024:.1f} MB")
    process.stdin.close()
    process.wait()
    inside = {}
    for name in os.listdir(logs):
        for line in open(os.path.join(logs, name)):
            what, ms = line.split()
            inside.setdefault(what, []).append(float(ms))
    for what in sorted(inside):
        if what.startswith(("tool:", "listing:")):
            print(f"inside the servers, {what}: {stats(inside[what])}")
finally:
    shutil.rmtree(repo, ignore_errors=True)
    shutil.rmtree(logs, ignore_errors=True)
