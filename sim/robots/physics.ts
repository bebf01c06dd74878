/**
 * One-time start-up of the robot suite: Rapier's WASM module and the robots' MJCF text.
 *
 * Both need `await`, but `makeEnv` is synchronous, so the app awaits `initPhysics()` once at
 * start-up and every robot env afterwards reads what it loaded.
 */
import RAPIER from '@dimforge/rapier3d-compat';

/** The MJCF files of assets/robots/ that the suite uses. */
export const ROBOT_FILES = [
  'hopper.xml',
  'walker2d.xml',
  'half_cheetah.xml',
  'ant.xml',
  'humanoid.xml',
  'reacher.xml',
  'pusher.xml',
  'inverted_pendulum.xml',
] as const;
export type RobotFile = (typeof ROBOT_FILES)[number];

/** Reads one asset as text; the default covers Node (file: URLs) and browsers (fetch). */
export type ReadText = (url: URL) => Promise<string>;

const ROBOTS_DIR = new URL('../../assets/robots/', import.meta.url);
const robotXml = new Map<RobotFile, string>();
let loading: Promise<void> | undefined;

async function readTextDefault(url: URL): Promise<string> {
  if (url.protocol === 'file:') {
    // Loaded lazily so that browser bundles never see a Node module.
    const fs = await import('node:fs/promises');
    return fs.readFile(url, 'utf8');
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`initPhysics: ${url.href} answered ${response.status}`);
  return response.text();
}

/**
 * Initializes Rapier and reads the robot models. Safe to call many times: every call returns the
 * same promise. Pass `readText` where assets live somewhere the default cannot reach (e.g. an asar).
 */
export function initPhysics(readText: ReadText = readTextDefault): Promise<void> {
  loading ??= (async () => {
    const texts = await Promise.all(ROBOT_FILES.map((file) => readText(new URL(file, ROBOTS_DIR))));
    await RAPIER.init();
    ROBOT_FILES.forEach((file, i) => robotXml.set(file, texts[i]));
  })().catch((error: unknown) => {
    loading = undefined; // let a later call retry
    throw error;
  });
  return loading;
}

/** The MJCF text of a robot; throws a clear error when `initPhysics()` has not finished. */
export function robotModelXml(file: RobotFile, envId: string): string {
  const xml = robotXml.get(file);
  if (xml === undefined) {
    throw new Error(`${envId} needs the physics engine: await initPhysics() (sim/robots) once before makeEnv('${envId}')`);
  }
  return xml;
}
