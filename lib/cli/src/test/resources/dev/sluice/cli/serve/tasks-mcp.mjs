// A scripted MCP server of the 2026-07-28 protocol with the tasks extension (io.modelcontextprotocol/tasks,
// SEP-2663) on stateless Streamable HTTP, shared by several `sluice serve` nodes: its tool "migrate" runs
// as a task (when the call declares the extension) whose status message is what the file STAGE holds,
// read at each tasks/get; "done" completes it (result "migrated 42 tables", and " into SCHEMA" once a
// question was answered), "forget" makes the server forget its tasks (tasks/get answers -32602, as a server
// that keeps its tasks per session or per process), "ask" makes it ask which schema to move the tables to
// (input_required, its elicitation under the key "schema" in inputRequests, asked at each tasks/get until a
// tasks/update answers it; the task then works on, "Moving tables to SCHEMA").
// Prints "listening PORT" once it listens, then one line per request: its method (and the task's id), and
// "answer SCHEMA" (or "answer declined") for a tasks/update.
// For ServeTaskTakeoverTest. Usage: node tasks-mcp.mjs STAGE
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const EXTENSION = "io.modelcontextprotocol/tasks";
const stageFile = process.argv[2];
const tasks = new Map();
const stage = () => {
  try { return readFileSync(stageFile, "utf8").trim(); } catch { return "Starting"; }
};
const state = (id, t) => {
  const s = { taskId: id, status: t.status, statusMessage: t.message, createdAt: t.createdAt,
    lastUpdatedAt: new Date().toISOString(), ttlMs: 600000, pollIntervalMs: 100 };
  if (t.status === "completed") {
    const text = "migrated 42 tables" + (t.answer ? " into " + t.answer : "");
    s.result = { content: [{ type: "text", text }], isError: false };
  }
  if (t.status === "input_required") s.inputRequests = { schema: { method: "elicitation/create", params: {
    mode: "form", message: "Which schema should the tables go to?",
    requestedSchema: { type: "object", properties: { schema: { type: "string", title: "Schema",
      enum: ["public", "archive"] } }, required: ["schema"] } } } };
  return s;
};

const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const request = JSON.parse(body);
    const params = request.params ?? {};
    console.log(request.method + (params.taskId ? " " + params.taskId : ""));
    if (request.id === undefined) { res.writeHead(202).end(); return; }
    const reply = (result, error) => {
      const out = JSON.stringify({ jsonrpc: "2.0", id: request.id, ...(error ? { error } : { result }) });
      res.writeHead(200, { "Content-Type": "application/json" }).end(out);
    };
    switch (request.method) {
      case "server/discover":
        return reply({ supportedVersions: ["2026-07-28"],
          capabilities: { tools: {}, extensions: { [EXTENSION]: {} } }, serverInfo: { name: "migrations", version: "1" } });
      case "tools/list":
        return reply({ tools: [{ name: "migrate", description: "Migrates the database; takes minutes.",
          inputSchema: { type: "object" } }] });
      case "tools/call": {
        const declared = params._meta?.["io.modelcontextprotocol/clientCapabilities"]?.extensions?.[EXTENSION];
        if (!declared) return reply({ content: [{ type: "text", text: "migrated without a task" }] });
        const id = randomUUID();
        const t = { status: "working", message: stage(), createdAt: new Date().toISOString() };
        tasks.set(id, t);
        return reply({ ...state(id, t), resultType: "task" });
      }
      case "tasks/get": {
        if (stage() === "forget") tasks.clear();
        const t = tasks.get(params.taskId);
        if (!t) return reply(undefined, { code: -32602, message: "Unknown task: " + params.taskId });
        const now = stage();
        if (t.status === "working" || t.status === "input_required") {
          if (now === "done") t.status = "completed";
          else if (now === "ask" && !t.answer) { t.status = "input_required"; t.message = "Which schema?"; }
          else if (now !== "ask") t.message = now;
        }
        return reply({ ...state(params.taskId, t), resultType: "complete" });
      }
      case "tasks/update": {
        const t = tasks.get(params.taskId);
        const response = params.inputResponses?.schema;
        const answer = response?.action === "accept" ? response.content?.schema : undefined;
        console.log("answer " + (answer ?? "declined"));
        if (t && t.status === "input_required" && answer) {
          t.answer = answer;
          t.status = "working";
          t.message = "Moving tables to " + answer;
        }
        return reply({ resultType: "complete" });
      }
      case "tasks/cancel": {
        const t = tasks.get(params.taskId);
        if (t && t.status === "working") { t.status = "cancelled"; t.message = "Cancelled"; }
        return reply({ resultType: "complete" });
      }
      default:
        return reply(undefined, { code: -32601, message: "Method not found: " + request.method });
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
