/**
 * Routes one call from a renderer (Electron IPC or WebSocket) to the Lab: the method must exist
 * and its arguments must pass that method's schema, or the Lab never sees the call.
 */
import { z } from 'zod';
import type { CallResult, LabCalls, LabMethod } from './api.ts';
import { labArgSchemas } from './api-schemas.ts';

export async function dispatchCall(lab: LabCalls, method: unknown, args: unknown): Promise<CallResult> {
  if (typeof method !== 'string' || !Object.hasOwn(labArgSchemas, method)) {
    return { ok: false, error: `unknown method ${JSON.stringify(method)}` };
  }
  const parsed = labArgSchemas[method as LabMethod].safeParse(args);
  if (!parsed.success) return { ok: false, error: `invalid arguments for ${method}: ${z.prettifyError(parsed.error)}` };
  try {
    const call = lab[method as LabMethod] as (...values: unknown[]) => unknown;
    // undefined does not survive every transport (JSON drops it): a call with no result answers null.
    return { ok: true, value: (await call.apply(lab, parsed.data)) ?? null };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
