/**
 * Mass and inertia by MuJoCo's rules: a geom's mass is `mass` or density x volume, its inertia that
 * of the solid shape (a capsule is a cylinder plus two hemispheres); a body's inertia sums its
 * geoms' about their common centre of mass, in the principal frame ("inertial frame").
 */
import { add, dot, rotateDiagonal, scale, sub, symmetricEigen, type Mat3, type Quat, type Vec3 } from './math.ts';

export type SolidGeomType = 'sphere' | 'capsule' | 'cylinder' | 'box' | 'ellipsoid';

/** Volume of a solid geom from MuJoCo's sizes (radius, half-lengths, half-extents). */
export function geomVolume(type: SolidGeomType, size: readonly number[]): number {
  switch (type) {
    case 'sphere':
      return (4 / 3) * Math.PI * size[0] ** 3;
    case 'capsule':
      return Math.PI * size[0] ** 2 * 2 * size[1] + (4 / 3) * Math.PI * size[0] ** 3;
    case 'cylinder':
      return Math.PI * size[0] ** 2 * 2 * size[1];
    case 'box':
      return 8 * size[0] * size[1] * size[2];
    case 'ellipsoid':
      return (4 / 3) * Math.PI * size[0] * size[1] * size[2];
  }
}

/** Principal moments of a solid geom of mass `mass` about its centre, in the geom frame. */
export function geomInertia(type: SolidGeomType, size: readonly number[], mass: number): Vec3 {
  switch (type) {
    case 'sphere': {
      const i = 0.4 * mass * size[0] ** 2;
      return [i, i, i];
    }
    case 'capsule': {
      // MuJoCo: split the mass by volume into a cylinder and a sphere, then move the two
      // hemispheres out to the cylinder's ends.
      const [r, half] = size;
      const h = 2 * half;
      const sphereMass = (mass * 4 * r) / (4 * r + 3 * h);
      const cylinderMass = mass - sphereMass;
      const sphereI = 0.4 * sphereMass * r * r;
      const across = (cylinderMass * (3 * r * r + h * h)) / 12 + sphereI + (sphereMass * h * (3 * r + 2 * h)) / 8;
      return [across, across, (cylinderMass * r * r) / 2 + sphereI];
    }
    case 'cylinder': {
      const [r, half] = size;
      const across = (mass * (3 * r * r + 4 * half * half)) / 12;
      return [across, across, (mass * r * r) / 2];
    }
    case 'box': {
      const [x, y, z] = size;
      return [(mass * (y * y + z * z)) / 3, (mass * (x * x + z * z)) / 3, (mass * (x * x + y * y)) / 3];
    }
    case 'ellipsoid': {
      const [a, b, c] = size;
      return [(mass * (b * b + c * c)) / 5, (mass * (a * a + c * c)) / 5, (mass * (a * a + b * b)) / 5];
    }
  }
}

/** A rigid piece: mass at `pos`, principal inertia `inertia` in the frame (`pos`, `quat`). */
export interface MassPart {
  mass: number;
  pos: Vec3;
  quat: Quat;
  inertia: Vec3;
}

/** Total mass, centre of mass and inertia tensor about it, all in one frame. */
export interface MassProperties {
  mass: number;
  com: Vec3;
  tensor: Mat3;
}

export function combineMass(parts: readonly MassPart[]): MassProperties {
  const mass = parts.reduce((sum, p) => sum + p.mass, 0);
  const com =
    mass > 0
      ? scale(
          parts.reduce((sum, p) => add(sum, scale(p.pos, p.mass)), [0, 0, 0] as Vec3),
          1 / mass,
        )
      : ([0, 0, 0] as Vec3);
  const tensor = new Array<number>(9).fill(0);
  for (const part of parts) {
    const own = rotateDiagonal(part.quat, part.inertia);
    const d = sub(part.pos, com);
    const d2 = dot(d, d);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        // parallel-axis theorem: m (|d|^2 I - d d^T)
        tensor[i * 3 + j] += own[i * 3 + j] + part.mass * ((i === j ? d2 : 0) - d[i] * d[j]);
      }
    }
  }
  return { mass, com, tensor };
}

/** Principal frame of a tensor: moments in decreasing order and the frame's rotation. */
export function principalInertia(props: MassProperties): MassPart {
  const { values, quat } = symmetricEigen(props.tensor);
  return { mass: props.mass, pos: props.com, quat, inertia: values };
}

/** Adds inertia `amount` about the unit axis `axis` (through the centre of mass) to a tensor. */
export function addAxisInertia(tensor: Mat3, axis: Readonly<Vec3>, amount: number): void {
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) tensor[i * 3 + j] += amount * axis[i] * axis[j];
}

/** True when the three moments can belong to a real body (each at most the sum of the others). */
export function isPhysicalInertia(inertia: Readonly<Vec3>): boolean {
  const [a, b, c] = inertia;
  const slack = 1e-9 * (a + b + c);
  return a > 0 && b > 0 && c > 0 && a <= b + c + slack && b <= a + c + slack && c <= a + b + slack;
}
