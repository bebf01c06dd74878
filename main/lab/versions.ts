/** The versions recorded in each run's run.json by the Lab. */
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export function labVersions(): { gaitlab: string; node: string } {
  return { gaitlab: version, node: process.version };
}
