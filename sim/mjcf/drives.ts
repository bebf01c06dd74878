/**
 * A joint's actuator effort and MuJoCo's passive terms — armature, damping, stiffness — as one
 * force-based Rapier motor per dof. Rapier solves motors implicitly inside its velocity solver,
 * so the effort acts on the joint's relative motion, equal and opposite on the two bodies, and is
 * integrated implicitly like MuJoCo's damping:
 *
 *   effort = u + k (rest - q) - d q' - a (q' - q'_before) / dt      (u = gear x ctrl)
 *
 * i.e. a velocity motor with factor f = d + a/dt aiming at (u + a q'_before / dt) / f, plus a spring.
 * Rapier applies the motor in each of its substeps, always toward that target, so the joint's
 * inertia comes out as I + a where either the body's own I or the armature a dominates, but
 * about 20% short of it where they are equal (8 substeps: (1 - (8/9)^8) x 2 = 1.22).
 * - Armature is MuJoCo's joint-space inertia. Added to the child body instead, it would hand the
 *   rotor's momentum to the whole robot when a joint stops (the 0.04 kg ant legs carry 1 kg m^2 of
 *   armature each), and very anisotropic bodies spin up under Rapier's explicit gyroscopic term.
 * - The motor effort goes through the solver, not as a body torque: a 200 N m torque on a reacher
 *   link of 4e-5 kg m^2 (whose inertia is almost all armature) would first spin it to thousands
 *   of rad/s for the solver to take back, which it does not within a few iterations.
 */
import { JointAxis, MotorModel, type ImpulseJointSet } from '@dimforge/rapier3d-compat';
import type { CompiledModel } from './compile.ts';
import type { LinkPlan } from './links.ts';

type RawJoints = ImpulseJointSet['raw'];
type RawAxis = Parameters<RawJoints['jointSetLimits']>[1];
type RawMotorModel = Parameters<RawJoints['jointConfigureMotorModel']>[2];

export interface Drive {
  /** Link whose impulse joint carries the motor, and the joint's handle. */
  link: number;
  handle: number;
  /** The MuJoCo joint (index into the model's joints). */
  joint: number;
  /** +1, or -1 where the joint turns about the negative frame axis. */
  sign: number;
  /** Axis index in the joint frame: 0 for a slide (linear x), 0-2 for hinges (angular x-z). */
  frameAxis: number;
  slide: boolean;
  armature: number;
  damping: number;
  stiffness: number;
  /** Spring rest position in the joint frame (MuJoCo's springref, from qpos0). */
  rest: number;
}

export function rawAxis(slide: boolean, frameAxis: number): RawAxis {
  return (slide ? JointAxis.LinX : JointAxis.AngX + frameAxis) as RawAxis;
}

/** One drive per dof of a `jointed` link with armature, damping or stiffness. */
export function planDrives(model: CompiledModel, plan: LinkPlan, jointHandles: readonly number[]): Drive[] {
  const drives: Drive[] = [];
  plan.links.forEach((link, index) => {
    if (link.kind !== 'jointed') return;
    [...link.slides, ...link.hinges].forEach((j, frameAxis) => {
      const joint = model.joints[j];
      if (joint.armature === 0 && joint.damping === 0 && joint.stiffness === 0) return;
      const slide = joint.type === 'slide';
      const sign = slide ? 1 : link.axisSigns[frameAxis];
      drives.push({
        link: index,
        handle: jointHandles[index],
        joint: j,
        sign,
        frameAxis,
        slide,
        armature: joint.armature,
        damping: joint.damping,
        stiffness: joint.stiffness,
        rest: (joint.springref - joint.ref) * sign,
      });
    });
  });
  return drives;
}

export function initDrive(raw: RawJoints, drive: Drive, dt: number): void {
  raw.jointConfigureMotorModel(drive.handle, rawAxis(drive.slide, drive.frameAxis), MotorModel.ForceBased as number as RawMotorModel);
  updateDrive(raw, drive, 0, 0, dt);
}

/** True when the motor can carry an actuator effort (it needs armature or damping). */
export const carriesEffort = (drive: Drive): boolean => drive.armature > 0 || drive.damping > 0;

/**
 * Re-aims the motor for the next step, given the joint's current rate along the motor axis and
 * the actuator effort on the joint (0 unless `carriesEffort`).
 */
export function updateDrive(raw: RawJoints, drive: Drive, rate: number, effort: number, dt: number): void {
  const { armature: a, damping: d, stiffness: k } = drive;
  const factor = d + a / dt;
  const targetRate = factor > 0 ? (effort * drive.sign + (a / dt) * rate) / factor : 0;
  raw.jointConfigureMotor(drive.handle, rawAxis(drive.slide, drive.frameAxis), drive.rest, targetRate, k, factor);
}
