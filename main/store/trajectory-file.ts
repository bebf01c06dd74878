/**
 * Recorded episodes of a run, one file each in `trajectories/<name>.traj`, so a finished run can be
 * replayed and exported after a restart. Binary, because a 1000-step Humanoid episode holds 91k
 * pose floats, with a JSON header that says what the episode is:
 *
 *   "GLTRAJ1\n"                 8 bytes, the format
 *   header length               uint32 LE, in bytes (the JSON, space-padded so the arrays start 8-aligned)
 *   header                      JSON: env, scene, dt, step/update/checkpoint/seed... (see `headerSchema`)
 *   rewards                     float64 LE [steps]
 *   frames                      float32 LE [steps, numBodies * 7]: the pose each step's action was taken from
 *
 * Files are written atomically (temp file, fsync, rename) and validated when read back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FRAME_STRIDE, type Scene } from '../../sim/core/scene.ts';
import { TEMP_PREFIX, writeFileAtomic } from './atomic-write.ts';
import { describeFsError } from './fs-errors.ts';
import { parseJson } from './json-file.ts';

/** An episode as drawn by the viewer: frames are packed (x, y, z, qx, qy, qz, qw) per body. */
export interface TrajectoryMessage {
  envId: string;
  dtSeconds: number;
  numBodies: number;
  /** [steps, numBodies * 7]: the pose each step's action was taken from, the reset pose first. */
  frames: number[];
  /** [steps] */
  rewards: number[];
  /** Update index and env step at which the episode finished. */
  update: number;
  step: number;
  episodeReturn: number;
  deterministic: boolean;
}

/** An episode as stored: what the viewer plays, plus the scene to draw it with and where it came from. */
export interface SavedTrajectory extends TrajectoryMessage {
  scene: Scene;
  /** The checkpoint whose policy played it; null for the policy of a trainer mid-training. */
  checkpoint: number | null;
  /** An evaluation episode's reset seed; null for a training episode. */
  seed: number | null;
  /** A training episode's index among env 0's episodes since the trainer started; null for an evaluation. */
  episode: number | null;
  createdAt: string;
}

/** A stored episode as listed: its header, without the poses and rewards. */
export type TrajectoryInfo = Omit<SavedTrajectory, 'frames' | 'rewards' | 'scene'> & { name: string; steps: number };

export const TRAJECTORY_EXTENSION = '.traj';
const MAGIC = Buffer.from('GLTRAJ1\n');
const PREAMBLE_BYTES = MAGIC.length + 4;
/** A name is a file name in the trajectories folder, never a path. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const vec = (n: number) => z.array(z.number()).length(n);
const sceneSchema = z.object({
  id: z.string(),
  up: z.literal('z'),
  bodies: z.array(
    z.object({
      name: z.string(),
      parent: z.number().int().min(-1),
      geoms: z.array(
        z.object({
          type: z.enum(['sphere', 'capsule', 'cylinder', 'box', 'ellipsoid', 'plane']),
          size: z.array(z.number()),
          pos: vec(3),
          quat: vec(4),
          rgba: vec(4),
        }),
      ),
    }),
  ),
}) as unknown as z.ZodType<Scene>; // tuples are checked by length; zod infers them as number[]

const headerSchema = z
  .object({
    envId: z.string().min(1),
    scene: sceneSchema,
    dtSeconds: z.number().positive(),
    numBodies: z.number().int().min(1),
    steps: z.number().int().min(0),
    update: z.number().int().min(0),
    step: z.number().int().min(0),
    episodeReturn: z.number(),
    deterministic: z.boolean(),
    checkpoint: z.number().int().min(0).nullable(),
    seed: z.number().int().nullable(),
    episode: z.number().int().min(0).nullable(),
    createdAt: z.iso.datetime(),
  })
  .strict();
type Header = z.infer<typeof headerSchema>;

/** `eval-step0000204800-seed10000` or `train-step0000204800-ep27`: sorts by training step. */
export function trajectoryName(t: Pick<SavedTrajectory, 'deterministic' | 'step' | 'seed' | 'episode'>): string {
  const step = `step${String(t.step).padStart(10, '0')}`;
  return t.deterministic ? `eval-${step}-seed${t.seed ?? 0}` : `train-${step}-ep${t.episode ?? 0}`;
}

/** Writes `<dir>/<name>.traj` atomically; returns the name. */
export function writeTrajectory(dir: string, trajectory: SavedTrajectory, name = trajectoryName(trajectory)): string {
  checkName(name);
  const { frames, rewards, ...rest } = trajectory;
  const steps = rewards.length;
  if (trajectory.scene.bodies.length !== trajectory.numBodies || frames.length !== steps * trajectory.numBodies * FRAME_STRIDE) {
    throw new Error(`trajectory ${name}: ${frames.length} pose floats do not make ${steps} frames of ${trajectory.numBodies} bodies`);
  }
  const header: Header = headerSchema.parse({ ...rest, steps });
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - ((PREAMBLE_BYTES + json.length) % 8)) % 8, ' ')]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const data = Buffer.alloc(steps * 8 + frames.length * 4);
  rewards.forEach((reward, i) => data.writeDoubleLE(reward, i * 8));
  frames.forEach((value, i) => data.writeFloatLE(value, steps * 8 + i * 4));
  writeFileAtomic(path.join(dir, name + TRAJECTORY_EXTENSION), [MAGIC, length, json, data]);
  return name;
}

/** The stored episodes' headers, oldest training step first. A damaged file is left out with a warning. */
export function listTrajectories(dir: string): TrajectoryInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot list ${dir}: ${describeFsError(error)}`);
  }
  const infos: TrajectoryInfo[] = [];
  for (const file of names.filter((n) => n.endsWith(TRAJECTORY_EXTENSION) && !n.startsWith(TEMP_PREFIX)).sort()) {
    const name = file.slice(0, -TRAJECTORY_EXTENSION.length);
    try {
      const { header } = readHeader(path.join(dir, file));
      const { scene: _scene, ...info } = header;
      infos.push({ name, ...info });
    } catch (error) {
      console.warn(`gaitlab: skipping ${path.join(dir, file)}: ${(error as Error).message}`);
    }
  }
  return infos.sort((a, b) => a.step - b.step || a.name.localeCompare(b.name));
}

export function readTrajectory(dir: string, name: string): SavedTrajectory {
  checkName(name);
  const file = path.join(dir, name + TRAJECTORY_EXTENSION);
  if (!fs.existsSync(file)) {
    const known = listTrajectories(dir).map((t) => t.name);
    throw new Error(`no trajectory '${name}' in ${dir}; stored ones: ${known.join(', ') || 'none'}`);
  }
  const { header, bytes, dataStart } = readHeader(file, true);
  const { steps, ...rest } = header;
  const frameFloats = steps * header.numBodies * FRAME_STRIDE;
  const expected = dataStart + steps * 8 + frameFloats * 4;
  if (bytes.length !== expected) throw new Error(`${file}: ${bytes.length} bytes, its header says ${expected}`);
  const rewards = Array.from({ length: steps }, (_, i) => bytes.readDoubleLE(dataStart + i * 8));
  const framesStart = dataStart + steps * 8;
  const frames = Array.from({ length: frameFloats }, (_, i) => bytes.readFloatLE(framesStart + i * 4));
  return { ...rest, frames, rewards };
}

/** Reads the preamble and header (and, with `whole`, the rest of the file too). */
function readHeader(file: string, whole = false): { header: Header; bytes: Buffer; dataStart: number } {
  let bytes: Buffer;
  try {
    if (whole) bytes = fs.readFileSync(file);
    else {
      const fd = fs.openSync(file, 'r');
      try {
        const preamble = Buffer.alloc(PREAMBLE_BYTES);
        fs.readSync(fd, preamble, 0, PREAMBLE_BYTES, 0);
        const json = Buffer.alloc(preamble.subarray(0, MAGIC.length).equals(MAGIC) ? preamble.readUInt32LE(MAGIC.length) : 0);
        fs.readSync(fd, json, 0, json.length, PREAMBLE_BYTES);
        bytes = Buffer.concat([preamble, json]);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (error) {
    throw new Error(`cannot read ${file}: ${describeFsError(error)}`);
  }
  if (bytes.length < PREAMBLE_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error(`${file}: not a GaitLab trajectory file`);
  const dataStart = PREAMBLE_BYTES + bytes.readUInt32LE(MAGIC.length);
  if (bytes.length < dataStart) throw new Error(`${file}: truncated header`);
  const header = parseJson(bytes.subarray(PREAMBLE_BYTES, dataStart).toString('utf8'), headerSchema, file);
  if (header.scene.bodies.length !== header.numBodies)
    throw new Error(`${file}: the scene has ${header.scene.bodies.length} bodies, the header says ${header.numBodies}`);
  return { header, bytes, dataStart };
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new Error(`not a trajectory name: ${JSON.stringify(name)} (letters, digits, '.', '_' and '-' only)`);
}
