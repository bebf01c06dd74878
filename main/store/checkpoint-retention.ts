/**
 * Which checkpoints a run keeps: the latest few (to resume from, and to fork or evaluate recent
 * policies) and milestones, which are never deleted, so that a learning montage can still show
 * early training when a long run is done.
 *
 * Milestones follow a power-of-two schedule of env steps: the earliest checkpoint, and the first
 * checkpoint at or past each power of two (1, 2, 4, ... steps). Early learning changes fast and
 * is worth more samples than late, as in Gymnasium's capped-cubic video schedule. The rule looks
 * only at the checkpoints on disk and is stable: as later checkpoints come and others go, a
 * milestone stays one. There are at most log2(last step / first step) + 2 of them (7 for a run of
 * a million steps checkpointed every 20k), and since a checkpoint grows at most linearly with its
 * step (a replay buffer fills up), together they take at most about twice the space of the last.
 */

/** The milestone steps among `steps` (any order). */
export function milestoneSteps(steps: readonly number[]): Set<number> {
  const sorted = [...steps].sort((a, b) => a - b);
  const milestones = new Set<number>();
  if (sorted.length === 0) return milestones;
  milestones.add(sorted[0]);
  for (let power = 1; power <= sorted[sorted.length - 1]; power *= 2) {
    const first = sorted.find((step) => step >= power);
    if (first !== undefined) milestones.add(first);
  }
  return milestones;
}

/**
 * The checkpoints to delete once `written` is on disk among `steps`: all but the `keepLatest`
 * highest steps (the one just written always among them) and the milestones.
 */
export function checkpointsToDiscard(steps: readonly number[], written: number, keepLatest: number): number[] {
  const older = steps.filter((step) => step !== written).sort((a, b) => a - b);
  const latest = new Set(older.slice(Math.max(0, older.length - (keepLatest - 1))));
  const milestones = milestoneSteps(steps);
  return older.filter((step) => !latest.has(step) && !milestones.has(step));
}
