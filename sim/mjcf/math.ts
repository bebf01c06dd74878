/**
 * Small 3-D helpers for the MJCF compiler and kinematics. Quaternions are MuJoCo's (w, x, y, z);
 * 3x3 matrices are row-major arrays of 9.
 */

export type Vec3 = [number, number, number];
export type Quat = [number, number, number, number];
export type Mat3 = number[];

export const IDENTITY_QUAT: Readonly<Quat> = [1, 0, 0, 0];

export const add = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Readonly<Vec3>, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Readonly<Vec3>, b: Readonly<Vec3>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Readonly<Vec3>): number => Math.hypot(a[0], a[1], a[2]);

/** Unit vector along `a`, or null when `a` is (near) zero. */
export function normalize(a: Readonly<Vec3>): Vec3 | null {
  const n = norm(a);
  return n < 1e-12 ? null : scale(a, 1 / n);
}

export function quatMul(a: Readonly<Quat>, b: Readonly<Quat>): Quat {
  return [
    a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
    a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
    a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
    a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
  ];
}

export const quatConj = (q: Readonly<Quat>): Quat => [q[0], -q[1], -q[2], -q[3]];

export function quatNormalize(q: Readonly<Quat>): Quat | null {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return n < 1e-12 ? null : [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** Rotation by `angle` (radians) about the unit vector `axis`. */
export function quatAxisAngle(axis: Readonly<Vec3>, angle: number): Quat {
  const s = Math.sin(angle / 2);
  return [Math.cos(angle / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

export function rotate(q: Readonly<Quat>, v: Readonly<Vec3>): Vec3 {
  // v + 2w (u x v) + 2 u x (u x v), u = vector part
  const [w, x, y, z] = q;
  const tx = 2 * (y * v[2] - z * v[1]);
  const ty = 2 * (z * v[0] - x * v[2]);
  const tz = 2 * (x * v[1] - y * v[0]);
  return [v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx)];
}

/** The minimal rotation taking +z onto `dir` (MuJoCo's `mjuu_z2quat`, used by `fromto`). */
export function quatZTo(dir: Readonly<Vec3>): Quat {
  const unit = normalize(dir) ?? [0, 0, 1];
  const axis = cross([0, 0, 1], unit);
  const s = norm(axis);
  const angle = Math.atan2(s, unit[2]);
  return quatAxisAngle(s < 1e-10 ? [1, 0, 0] : scale(axis, 1 / s), angle);
}

export function quatToMat(q: Readonly<Quat>): Mat3 {
  const [w, x, y, z] = q;
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
}

/** Quaternion of a proper rotation matrix (Shepperd's method). */
export function matToQuat(m: Readonly<Mat3>): Quat {
  const trace = m[0] + m[4] + m[8];
  let q: Quat;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    q = [s / 4, (m[7] - m[5]) / s, (m[2] - m[6]) / s, (m[3] - m[1]) / s];
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = 2 * Math.sqrt(1 + m[0] - m[4] - m[8]);
    q = [(m[7] - m[5]) / s, s / 4, (m[1] + m[3]) / s, (m[2] + m[6]) / s];
  } else if (m[4] > m[8]) {
    const s = 2 * Math.sqrt(1 + m[4] - m[0] - m[8]);
    q = [(m[2] - m[6]) / s, (m[1] + m[3]) / s, s / 4, (m[5] + m[7]) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m[8] - m[0] - m[4]);
    q = [(m[3] - m[1]) / s, (m[2] + m[6]) / s, (m[5] + m[7]) / s, s / 4];
  }
  return quatNormalize(q) ?? [1, 0, 0, 0];
}

/** Rotation whose columns are the given orthonormal, right-handed axes. */
export function quatFromColumns(x: Readonly<Vec3>, y: Readonly<Vec3>, z: Readonly<Vec3>): Quat {
  return matToQuat([x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]]);
}

/** R diag(d) R^T for the rotation `q`: a principal inertia turned into a tensor. */
export function rotateDiagonal(q: Readonly<Quat>, d: Readonly<Vec3>): Mat3 {
  const r = quatToMat(q);
  const out = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      out[i * 3 + j] = r[i * 3] * d[0] * r[j * 3] + r[i * 3 + 1] * d[1] * r[j * 3 + 1] + r[i * 3 + 2] * d[2] * r[j * 3 + 2];
    }
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric 3x3 matrix by Jacobi rotations. Eigenvalues come out in
 * decreasing order (MuJoCo's order for body inertias), with eigenvectors as the columns of the
 * rotation `quat`.
 */
export function symmetricEigen(m: Readonly<Mat3>): { values: Vec3; quat: Quat } {
  const a = [...m];
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(a[5]);
    if (off <= 1e-300 || off <= 1e-15 * (Math.abs(a[0]) + Math.abs(a[4]) + Math.abs(a[8]))) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = a[p * 3 + q];
      if (apq === 0) continue;
      const theta = (a[q * 3 + q] - a[p * 3 + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        // A <- J^T A J, applied as column then row rotations
        const akp = a[k * 3 + p];
        const akq = a[k * 3 + q];
        a[k * 3 + p] = c * akp - s * akq;
        a[k * 3 + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p * 3 + k];
        const aqk = a[q * 3 + k];
        a[p * 3 + k] = c * apk - s * aqk;
        a[q * 3 + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k * 3 + p];
        const vkq = v[k * 3 + q];
        v[k * 3 + p] = c * vkp - s * vkq;
        v[k * 3 + q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j * 3 + j] - a[i * 3 + i]);
  const column = (i: number): Vec3 => [v[i], v[3 + i], v[6 + i]];
  const [x, y] = [column(order[0]), column(order[1])];
  return {
    values: [a[order[0] * 4], a[order[1] * 4], a[order[2] * 4]],
    quat: quatFromColumns(x, y, cross(x, y)),
  };
}
