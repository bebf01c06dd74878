/**
 * MuJoCo MJCF models on Rapier: `loadMjcf(xml)` parses and compiles the model the way MuJoCo does
 * (defaults, frames, masses, qpos layout) and builds a Rapier world that steps it.
 * Rapier must be initialized first (`await RAPIER.init()`).
 */
import { compileMjcf } from './compile.ts';
import { planLinks } from './links.ts';
import { createModel, type MjcfLoadOptions, type MjcfModel } from './model.ts';
import { Warnings } from './reader.ts';
import { parseXml } from './xml.ts';

export type { MjcfActuator, MjcfBody, MjcfJoint, MjcfLoadOptions, MjcfModel, MjcfModelState, SolverSettings } from './model.ts';

/**
 * Loads an MJCF document. Malformed XML, or a model that cannot be simulated (missing or invalid
 * values, massless moving bodies, unsupported joint layouts), throws an Error naming the element
 * and its line; anything ignored or approximated is listed once in `model.warnings`.
 */
export function loadMjcf(xml: string, options: MjcfLoadOptions = {}): MjcfModel {
  const warnings = new Warnings();
  const compiled = compileMjcf(parseXml(xml), warnings);
  if (options.timestep !== undefined) {
    if (!(options.timestep > 0)) throw new RangeError(`loadMjcf: timestep must be a positive number of seconds, got ${options.timestep}`);
    compiled.timestep = options.timestep;
  }
  const plan = planLinks(compiled, warnings);
  return createModel(compiled, plan, warnings.list, options);
}
