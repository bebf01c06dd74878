/** What the viewer draws for an env: its Scene, made once per env id (building a robot is not free). */
import { makeEnv, type Scene } from '../../sim/index.ts';

const scenes = new Map<string, Scene>();

export function envScene(envId: string): Scene {
  let scene = scenes.get(envId);
  if (!scene) {
    const env = makeEnv(envId);
    scene = env.scene;
    env.close();
    scenes.set(envId, scene);
  }
  return scene;
}
