/**
 * A run's recording job: evaluation episodes of a checkpoint, played here in Node from its exact
 * weights and normalizer statistics; or a stored episode; or a montage in which several
 * checkpoints, early to late, each play the episode that starts from the same seed.
 */
import { milestoneSteps } from '../store/checkpoint-retention.ts';
import type { RunHandle, SavedTrajectory } from '../store/run-store.ts';
import { Trainer } from '../trainer/trainer.ts';
import type { RecordClip, RecordJob } from './record-job.ts';
import type { RecordRequest } from '../config/record-request.ts';

/** Checkpoints in a montage at most: more would make cells too small to see. */
const MONTAGE_CELLS = 6;

/** The job, and a file name for its video (without extension) that says what it shows. */
export async function buildRunJob(run: RunHandle, request: RecordRequest): Promise<{ job: RecordJob; name: string }> {
  const { clips, name } = request.trajectory !== undefined ? storedClip(run, request.trajectory) : await evaluationClips(run, request);
  const config = run.info.config;
  const job: RecordJob = {
    width: request.width,
    height: request.height,
    fps: request.fps,
    camera: request.camera,
    container: request.container,
    layout: request.montage ? 'grid' : 'sequence',
    title: { run: run.info.name, env: config.env, algo: config.algo },
    clips,
  };
  return { job, name };
}

function storedClip(run: RunHandle, name: string): { clips: RecordClip[]; name: string } {
  const trajectory = run.readTrajectory(name);
  const label = trajectory.deterministic ? `evaluation · seed ${trajectory.seed}` : `training episode ${trajectory.episode}`;
  return { clips: [clip(trajectory, label)], name };
}

async function evaluationClips(run: RunHandle, request: RecordRequest): Promise<{ clips: RecordClip[]; name: string }> {
  const checkpoints = run.listCheckpoints();
  if (checkpoints.length === 0) throw new Error(`run ${run.info.id} has no complete checkpoint to record yet`);
  if (request.montage) {
    if (checkpoints.length < 2) throw new Error(`a montage compares checkpoints, and run ${run.info.id} has one (step ${checkpoints[0]})`);
    const clips: RecordClip[] = [];
    for (const step of montageCheckpoints(checkpoints)) {
      const [trajectory] = await evaluate(run, step, 1, request.seed);
      clips.push(clip(trajectory, 'checkpoint'));
    }
    return { clips, name: `montage-seed${request.seed}` };
  }
  const trajectories = await evaluate(run, request.checkpoint, request.episodes, request.seed);
  const n = trajectories.length;
  const clips = trajectories.map((t, i) => clip(t, `evaluation · ${n > 1 ? `episode ${i + 1} / ${n} · ` : ''}seed ${t.seed}`));
  return { clips, name: `eval-step${trajectories[0].step}-seed${request.seed}${n > 1 ? `-x${n}` : ''}` };
}

async function evaluate(run: RunHandle, checkpoint: number | undefined, episodes: number, seed: number): Promise<SavedTrajectory[]> {
  const trainer = await Trainer.open(run, () => {}, { checkpoint });
  try {
    return trainer.recordEvaluation(episodes, seed).trajectories;
  } finally {
    trainer.dispose();
  }
}

/**
 * The checkpoints a montage shows: all of them when they fit, else the milestones (kept on a
 * power-of-two schedule of steps, see checkpoint-retention.ts) and the latest, evenly picked: early
 * learning, which changes fast, gets as many cells as late.
 */
export function montageCheckpoints(checkpoints: number[]): number[] {
  if (checkpoints.length <= MONTAGE_CELLS) return checkpoints;
  const milestones = milestoneSteps(checkpoints);
  return spread(
    checkpoints.filter((step, i) => milestones.has(step) || i === checkpoints.length - 1),
    MONTAGE_CELLS,
  );
}

/** At most `count` items, evenly spread from the first to the last. */
export function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

function clip(trajectory: SavedTrajectory, label: string): RecordClip {
  const { scene, dtSeconds, frames, rewards, step } = trajectory;
  return { label, step, scene, dtSeconds, frames, rewards };
}
