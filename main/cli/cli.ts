/**
 * The `gaitlab` command's entry point. bin/gaitlab.js starts its build (out/engine/cli.js); tests
 * and benches start this source through tsx (engineEntry in sim/core/engine-entry.ts).
 */
import { main } from './gaitlab.ts';

await main(process.argv);
