/**
 * The joint-limit protocol shared by sim/robots/physics.test.ts (at the env) and bench:fidelity (at
 * the model), and measured for MuJoCo by reference/limit-overshoot.c: the worst distance any ranged
 * joint (hinge: rad, slide: m) passes its range. Joints that start outside their range (the ant's
 * ankles, the humanoid's knees, as in Gymnasium) are not counted for the first SETTLE_SECONDS after
 * a reset, once the limits have pushed them in.
 */
import type { MjcfJoint } from '../mjcf/index.ts';

export const SETTLE_SECONDS = 1;

type RangedJoint = MjcfJoint & { range: [number, number] };

export class LimitExcessTracker {
  private readonly joints: RangedJoint[];
  private readonly startsOutside: Set<RangedJoint>;
  private readonly settleSteps: number;
  /** The worst excess so far and where it happened (joint name, plus the caller's label). */
  worst = { excess: 0, where: '' };

  /** `qpos0`: the model's reset pose; `dtSeconds`: one step of those `observe` sees. */
  constructor(joints: readonly MjcfJoint[], qpos0: ArrayLike<number>, dtSeconds: number) {
    this.joints = joints.filter((j): j is RangedJoint => j.range !== null && j.type !== 'free');
    this.startsOutside = new Set(this.joints.filter((j) => qpos0[j.qposIndex] < j.range[0] || qpos0[j.qposIndex] > j.range[1]));
    this.settleSteps = Math.round(SETTLE_SECONDS / dtSeconds);
  }

  /** Takes the pose `stepsSinceReset` steps after the last reset (the first step after it: 0). */
  observe(qpos: ArrayLike<number>, stepsSinceReset: number, label = ''): void {
    const settling = stepsSinceReset < this.settleSteps;
    for (const j of this.joints) {
      if (settling && this.startsOutside.has(j)) continue;
      const q = qpos[j.qposIndex];
      const excess = Math.max(j.range[0] - q, q - j.range[1]);
      if (excess > this.worst.excess) this.worst = { excess, where: `${j.name}${label}` };
    }
  }
}
