// A stdio MCP server (protocol 2025-11-25) with one tool, "big": its result is a text of
// arguments.chars characters ("x" repeated, ending "THE-END"), written as one message.
// For ServeMcpTest: a tool result of megabytes must reach neither the page nor the model whole.
import { createInterface } from "node:readline";

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  if (request.id === undefined) return;
  const reply = (result) => send({ jsonrpc: "2.0", id: request.id, result });
  switch (request.method) {
    case "initialize":
      return reply({
        protocolVersion: "2025-11-25",
        capabilities: { tools: {} },
        serverInfo: { name: "big-result", version: "1" },
      });
    case "tools/list":
      return reply({
        tools: [{
          name: "big",
          description: "Returns a text of the given number of characters.",
          inputSchema: { type: "object", properties: { chars: { type: "integer" } }, required: ["chars"] },
        }],
      });
    case "tools/call": {
      const chars = request.params.arguments.chars;
      return reply({ content: [{ type: "text", text: "x".repeat(chars - 7) + "THE-END" }] });
    }
    default:
      return send({ jsonrpc: "2.0", id: request.id, error: { code: -32601, message: "Method not found" } });
  }
});
