/**
 * Each env file opens with a table of its constants; these tests hold the table and the code to
 * the same numbers, and the spec (built before any physics loads) to the constants.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROBOT_ENVS } from './index.ts';
import { robotEnvSpec } from './mujoco-env.ts';

const FILES: Record<string, string> = {
  'Hopper-v0': 'hopper.ts',
  'Walker2d-v0': 'walker2d.ts',
  'HalfCheetah-v0': 'half-cheetah.ts',
  'Ant-v0': 'ant.ts',
  'Humanoid-v0': 'humanoid.ts',
  'Reacher-v0': 'reacher.ts',
  'Pusher-v0': 'pusher.ts',
  'InvertedPendulum-v0': 'inverted-pendulum.ts',
};

/** Rows `| name | value | note |` of the "## Constants" table in the file's header comment. */
function constantsTable(file: string): Map<string, string> {
  const source = fs.readFileSync(new URL(file, import.meta.url), 'utf8');
  const header = source.slice(0, source.indexOf('*/'));
  const table = header.slice(header.indexOf('## Constants'));
  const rows = new Map<string, string>();
  for (const line of table.split('\n')) {
    const cells = line
      .replace(/^\s*\*\s*/, '')
      .split('|')
      .map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'name' || cells[1].startsWith('-')) continue;
    rows.set(cells[1], cells[2]);
  }
  return rows;
}

/** "0.001", "inf", "(0.7, inf)", "[-0.3, 0]" -> number or [lo, hi]. */
function parseValue(text: string): number | number[] {
  const number = (t: string) => (t === 'inf' ? Infinity : t === '-inf' ? -Infinity : Number(t));
  const range = /^[([](.+),(.+)[)\]]$/.exec(text);
  return range ? [number(range[1].trim()), number(range[2].trim())] : number(text);
}

describe.each(ROBOT_ENVS.map((e) => e.config))('$id', (config) => {
  const table = constantsTable(FILES[config.id]);

  it('lists every numeric constant of the code in its table, with the same value', () => {
    const skip = new Set(['observationSize', 'actionSize', 'actionRange']);
    const numeric = Object.entries(config).filter(
      ([key, value]) => !skip.has(key) && (typeof value === 'number' || Array.isArray(value)) && key !== 'rewardTerms',
    );
    expect(numeric.length).toBeGreaterThan(3);
    for (const [key, value] of numeric) {
      expect(table.has(key), `${key} missing from the table`).toBe(true);
      expect(parseValue(table.get(key)!), key).toEqual(Array.isArray(value) ? [...value] : value);
    }
    for (const key of table.keys()) expect(Object.keys(config), `table row ${key} is not a constant`).toContain(key);
  });

  it('builds its spec without physics, from the same constants', () => {
    const spec = robotEnvSpec(config);
    expect(spec.id).toBe(config.id);
    expect(spec.observationSpace.size).toBe(config.observationSize);
    expect(spec.actionSpace).toMatchObject({ kind: 'box', size: config.actionSize });
    expect(spec.dtSeconds).toBe(config.dtSeconds);
    expect(spec.maxEpisodeSteps).toBe(config.maxEpisodeSteps);
    expect(spec.rewardTerms).toEqual(config.rewardTerms);
  });

  it('states its observation and action shapes in the header', () => {
    const header = fs.readFileSync(new URL(FILES[config.id], import.meta.url), 'utf8');
    expect(header).toContain(`Box(-inf, inf, (${config.observationSize},))`);
    expect(header).toContain(`Box(${config.actionRange[0]}, ${config.actionRange[1]}, (${config.actionSize},))`);
  });
});

it('keeps dt equal to Gymnasium v5 and the episode limits of the issue', () => {
  const gymnasium: Record<string, [number, number]> = {
    'Hopper-v0': [0.008, 1000],
    'Walker2d-v0': [0.008, 1000],
    'HalfCheetah-v0': [0.05, 1000],
    'Ant-v0': [0.05, 1000],
    'Humanoid-v0': [0.015, 1000],
    'Reacher-v0': [0.02, 50],
    'Pusher-v0': [0.05, 100],
    'InvertedPendulum-v0': [0.04, 1000],
  };
  expect(Object.fromEntries(ROBOT_ENVS.map(({ config }) => [config.id, [config.dtSeconds, config.maxEpisodeSteps]]))).toEqual(gymnasium);
});
