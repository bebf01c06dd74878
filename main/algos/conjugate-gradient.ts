/**
 * Conjugate gradient (Hestenes & Stiefel 1952) for A x = b with A symmetric positive-definite and
 * known only through products A·v: TRPO's natural gradient F⁻¹g from Fisher-vector products,
 * as OpenAI Baselines' cg.py and SB3-contrib's conjugate_gradient_solver do it. Vectors [n], float64.
 */

export interface ConjugateGradientResult {
  x: Float64Array;
  /** Products A·v taken. */
  iterations: number;
  /** ‖b - A x‖² at the end. */
  residualSquared: number;
}

/**
 * At most `maxIterations` products; stops early once ‖r‖² < residualTolerance. Starts from x = 0.
 * multiply(v, out) writes A·v into out.
 */
export function conjugateGradient(
  multiply: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  maxIterations: number,
  residualTolerance = 1e-10,
): ConjugateGradientResult {
  const n = b.length;
  const x = new Float64Array(n),
    r = Float64Array.from(b),
    p = Float64Array.from(b),
    ap = new Float64Array(n);
  let rr = dot(r, r),
    iterations = 0;
  while (iterations < maxIterations && rr >= residualTolerance) {
    multiply(p, ap);
    iterations++;
    const pap = dot(p, ap);
    if (!(pap > 0)) break; // not positive-definite along p (or p = 0): no further progress possible
    const step = rr / pap;
    for (let i = 0; i < n; i++) {
      x[i] += step * p[i];
      r[i] -= step * ap[i];
    }
    const rrNext = dot(r, r);
    const beta = rrNext / rr;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    rr = rrNext;
  }
  return { x, iterations, residualSquared: rr };
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
