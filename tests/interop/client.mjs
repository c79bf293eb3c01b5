// Drives a real `mcpplan serve` process with the official TypeScript SDK client and prints what it saw as JSON.
// Usage: node client.mjs <mcpplan executable> <repository> <scenario>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [exe, repo, scenario] = process.argv.slice(2);
const role = scenario === "planner" ? "planner" : "observer";
const transport = new StdioClientTransport({ command: exe, args: ["serve", "--role", role, "--repo", repo], cwd: repo, stderr: "pipe" });
const client = new Client({ name: "interop-ts", version: "1.0.0" });
await client.connect(transport);

const report = { server: client.getServerVersion(), instructions: client.getInstructions() };
const tools = await client.listTools();
report.tools = tools.tools.map((tool) => tool.name).sort();
report.toolsListBytes = JSON.stringify(tools).length;

// The SDK validates structuredContent against each tool's outputSchema; a mismatch throws here.
report.list = await client.callTool({ name: "list_plans", arguments: {} });
if (role === "planner") {
  const text = process.env.PLAN_TEXT;
  report.write = await client.callTool({ name: "write_plan", arguments: { plan_id: "interop", text } });
  report.hostile = await client.callTool({ name: "write_plan", arguments: { plan_id: "../../etc/passwd", text } });
  report.read = await client.callTool({ name: "read_plan", arguments: { plan_id: "interop" } });
  report.prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name).sort();
  report.template = await client.getPrompt({ name: "plan_template", arguments: { feature: "Interop" } });
}
report.resourceTemplates = (await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate);
await client.close();
process.stdout.write(JSON.stringify(report));
