// Drives a running `mcpplan serve --http` with the official TypeScript SDK client over Streamable HTTP and prints what it saw as JSON.
// Usage: node http-client.mjs <endpoint> <planner token> <implementer token>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [endpoint, plannerToken, implementerToken] = process.argv.slice(2);

async function connect(token) {
  const transport = new StreamableHTTPClientTransport(new URL(endpoint), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "interop-ts-http", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const report = {};
const planner = await connect(plannerToken);
report.server = planner.getServerVersion();
report.plannerTools = (await planner.listTools()).tools.map((tool) => tool.name).sort();
// The SDK validates structuredContent against each tool's outputSchema; a mismatch throws here.
report.write = await planner.callTool({ name: "write_plan", arguments: { plan_id: "interop-http", text: process.env.PLAN_TEXT } });
report.read = await planner.callTool({ name: "read_plan", arguments: { plan_id: "interop-http" } });
try {
  report.plannerCommit = await planner.callTool({ name: "commit_step", arguments: { plan_id: "interop-http", step: 1, message: "x" } });
} catch (error) {
  report.plannerCommitError = String(error.message ?? error);
}

const implementer = await connect(implementerToken);
report.implementerTools = (await implementer.listTools()).tools.map((tool) => tool.name).sort();
report.implementerList = await implementer.callTool({ name: "list_plans", arguments: {} });

try {
  await connect("mcpp_not-a-token");
  report.badToken = "accepted";
} catch (error) {
  report.badToken = String(error.message ?? error);
}

await planner.close();
await implementer.close();
process.stdout.write(JSON.stringify(report));
