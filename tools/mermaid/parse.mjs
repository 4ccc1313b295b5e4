// Parse Mermaid diagrams with Mermaid's own parser; exit 1 on any diagram it rejects.
// Input: markdown or .mmd files; every ```mermaid block of a markdown file is one diagram, a .mmd file is one.
// Prints file:line: diagram type (ok) or file:line: error, where line is the block's first line.
// Mermaid's parsers expect a DOM (its sanitizer), which jsdom provides; nothing is rendered.
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

function diagrams(file) {
  const text = fs.readFileSync(file, "utf8");
  if (!file.endsWith(".md")) return [{ line: 1, text }];
  const out = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```mermaid") continue;
    const start = i + 2;
    const body = [];
    for (i += 1; i < lines.length && lines[i].trim() !== "```"; i++) body.push(lines[i]);
    out.push({ line: start, text: body.join("\n") + "\n" });
  }
  return out;
}

// Gantt dates are read after parsing: a task whose dates do not read in the dateFormat gets no duration.
async function ganttTasks(text) {
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const tasks = diagram.db.getTasks();
  for (const t of tasks) {
    if (!(t.endTime > t.startTime)) throw new Error(`gantt task '${t.task.trim()}' has no duration (its dates do not read)`);
  }
  return ` (${tasks.length} tasks)`;
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node parse.mjs FILE.md|FILE.mmd...");
    return 2;
  }
  let bad = 0;
  for (const file of files) {
    for (const d of diagrams(file)) {
      try {
        const parsed = await mermaid.parse(d.text);
        let detail = "";
        if (parsed.diagramType === "gantt") detail = await ganttTasks(d.text);
        console.log(`${file}:${d.line}: ${parsed.diagramType} ok${detail}`);
      } catch (e) {
        bad += 1;
        const message = String((e && e.message) || e).replace(/\s*\n\s*/g, " | ");
        console.log(`${file}:${d.line}: error: ${message}`);
      }
    }
  }
  return bad ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
