#!/usr/bin/env node
// The `gaitlab` command: loads the TypeScript CLI through tsx's loader (no build step for the engine).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/gaitlab.ts');
await main(process.argv);
