#!/usr/bin/env python3
"""Cold start of `mcpplan serve` on the PostgreSQL store, as a client starts it: one process per run, on a repository
whose config names the database (the first run migrates the schema). Prints the binary's size (and the libgit2 library
beside it), then the median, p90 and minimum of the wall time until the `initialize` answer and until the first
`list_plans` answer, and the CPU time (user + system, from wait4) of the whole run.

    bench/native-postgres.py EXE CONNECTION [RUNS]   e.g. artifacts/native/linux-x64/mcpplan "Host=127.0.0.1;Port=5432;Username=postgres;Database=bench"
"""
import json, os, subprocess, sys, tempfile, time, uuid

exe, connection = os.path.realpath(sys.argv[1]), sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 20
folder = os.path.dirname(exe)
libraries = [name for name in os.listdir(folder) if name.startswith("libgit2")]
size = os.path.getsize(exe) / 1e6
print(f"{exe}: {size:.1f} MB" + "".join(f"; {name} {os.path.getsize(os.path.join(folder, name)) / 1e6:.1f} MB" for name in libraries))


def request(process, message):
    process.stdin.write((json.dumps(message) + "\n").encode())
    process.stdin.flush()
    while True:
        line = process.stdout.readline()
        if not line:
            sys.exit("the server closed its output: " + process.stderr.read().decode()[-2000:])
        answer = json.loads(line)
        if answer.get("id") == message["id"]:
            if "error" in answer or answer.get("result", {}).get("isError"):
                sys.exit(f"refused: {line[:400]!r}")
            return answer


with tempfile.TemporaryDirectory() as repo:
    for command in (["init", "-q", "-b", "main"], ["config", "user.name", "Bench"], ["config", "user.email", "bench@example.com"]):
        subprocess.run(["git", "-C", repo, *command], check=True)
    os.makedirs(os.path.join(repo, ".claude"))
    with open(os.path.join(repo, ".claude", "mcpplan.json"), "w") as config:
        json.dump({"store": {"kind": "postgres", "connection": connection, "repository": "cold-" + uuid.uuid4().hex[:12]}}, config)
    subprocess.run(["git", "-C", repo, "add", "-A"], check=True)
    subprocess.run(["git", "-C", repo, "commit", "-q", "-m", "plans in PostgreSQL"], check=True)
    initialized, listed, cpu = [], [], []
    for run in range(runs + 1):
        start = time.perf_counter()
        process = subprocess.Popen([exe, "serve", "--role", "planner", "--repo", repo], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=repo)
        request(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "cold", "version": "1"}}})
        first = (time.perf_counter() - start) * 1000
        process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        request(process, {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "list_plans", "arguments": {}}})
        second = (time.perf_counter() - start) * 1000
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        if run == 0:
            continue  # the first run migrates the schema
        initialized.append(first)
        listed.append(second)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)


def summary(values):
    values = sorted(values)
    return f"median {values[(len(values) - 1) // 2]:.1f} ms  p90 {values[max(int(len(values) * 0.9) - 1, 0)]:.1f} ms  min {values[0]:.1f} ms"


load = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"serve on PostgreSQL, {runs} cold starts (load average {load}):")
print(f"  to the initialize answer: {summary(initialized)}")
print(f"  to the first list_plans answer: {summary(listed)}")
print(f"  cpu (user+sys) per run: {summary(cpu)}")
