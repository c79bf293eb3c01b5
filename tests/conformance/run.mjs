// Runs MCP conformance server scenarios against a running `mcpplan serve --http`, through a small local proxy that adds
// the bearer token the person issued (the suite's client sends none). The proxy maps only its own Host and Origin to the
// server's, and passes any other Host or Origin through unchanged, so the server's DNS rebinding check is what answers.
// Usage: node run.mjs <endpoint> <token> <scenario>...   (Node 22: the suite needs fs.globSync)
import http from "node:http";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const [endpoint, token, ...scenarios] = process.argv.slice(2);
const target = new URL(endpoint);
const here = dirname(fileURLToPath(import.meta.url));

const proxy = http.createServer((request, response) => {
  const own = `127.0.0.1:${proxy.address().port}`;
  const headers = { ...request.headers, authorization: `Bearer ${token}` };
  if (headers.host === own || headers.host === `localhost:${proxy.address().port}`) headers.host = target.host;
  if (headers.origin === `http://${own}` || headers.origin === `http://localhost:${proxy.address().port}`) headers.origin = target.origin;
  const upstream = http.request({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers }, (answer) => {
    response.writeHead(answer.statusCode, answer.headers);
    answer.pipe(response);
  });
  upstream.on("error", (error) => { response.writeHead(502); response.end(String(error)); });
  request.pipe(upstream);
});
await new Promise((resolve) => proxy.listen(0, "127.0.0.1", resolve));

const url = `http://127.0.0.1:${proxy.address().port}${target.pathname}`;
const results = {};
const work = mkdtempSync(join(tmpdir(), "mcpplan-conformance-"));
for (const scenario of scenarios) {
  // Spawned, not run synchronously: the proxy answers on this process's event loop while the suite runs.
  const run = await new Promise((resolve) => {
    const suite = join(here, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
    const child = spawn(process.execPath, [suite, "server", "--url", url, "--scenario", scenario], { cwd: work });
    let output = "";
    child.stdout.on("data", (chunk) => { output += chunk; });
    child.stderr.on("data", (chunk) => { output += chunk; });
    child.on("close", (code) => resolve({ exitCode: code, output }));
  });
  results[scenario] = run;
}
proxy.close();
// Open keep-alive connections would hold the event loop; the report is complete here.
process.stdout.write(JSON.stringify(results), () => process.exit(0));
