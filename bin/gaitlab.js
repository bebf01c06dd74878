#!/usr/bin/env node
// The `gaitlab` command: the CLI as `npm run build` bundles it (out/engine/cli.js; `npm install`
// builds it in a checkout, and the package ships it). Tests and benches run the TypeScript source
// through tsx instead (engineEntry('main/cli/cli.ts') in sim/core/engine-entry.ts).
import fs from 'node:fs';

const cli = new URL('../out/engine/cli.js', import.meta.url);
if (!fs.existsSync(cli)) {
  console.error('gaitlab: the engine is not built (no out/engine/cli.js): run `npm run build` in the gaitlab folder');
  process.exit(1);
}
await import(cli.href);
