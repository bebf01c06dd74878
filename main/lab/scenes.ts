/** What the viewer draws for an env: its Scene, made once per env id (building a robot is not free). */
import { initPhysics, makeEnv, type Scene } from '../../sim/index.ts';

const scenes = new Map<string, Scene>();

export async function envScene(envId: string): Promise<Scene> {
  let scene = scenes.get(envId);
  if (!scene) {
    await initPhysics(); // robots need Rapier and their models; once per process
    const env = makeEnv(envId);
    scene = env.scene;
    env.close();
    scenes.set(envId, scene);
  }
  return scene;
}
