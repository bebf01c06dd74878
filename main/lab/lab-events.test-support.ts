/** Test helper: waiting on a real Lab's events. */
import type { LabEvent } from './api.ts';
import type { Lab } from './lab.ts';

/** Resolves with the first event that matches; rejects after `timeoutMs` (a hang guard). */
export function waitForLabEvent(lab: Lab, match: (event: LabEvent) => boolean, timeoutMs = 30_000): Promise<LabEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for a Lab event')), timeoutMs);
    const unsubscribe = lab.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(event);
    });
  });
}
