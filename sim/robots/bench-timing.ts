/** CPU-time rates for the physics benchmarks (bench:sim, bench:fidelity). */

/** Env steps between resets, as Gymnasium's episodes. */
export const EPISODE = 1000;
const WARMUP_SECONDS = 0.3;

/** CPU seconds of this process: unlike wall time, not inflated by other jobs on a shared machine. */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs `step` (and `reset` every EPISODE calls) for `seconds` of CPU time after a short warm-up;
 * returns calls per CPU second and per wall-clock second.
 */
export function rate(seconds: number, step: () => void, reset: () => void): { cpu: number; wall: number } {
  let calls = 0;
  const run = (limit: number) => {
    const start = cpuSeconds();
    const wallStart = performance.now();
    let n = 0;
    while (cpuSeconds() - start < limit) {
      for (let i = 0; i < 50; i++, n++) {
        step();
        if (++calls % EPISODE === 0) reset();
      }
    }
    return { cpu: n / (cpuSeconds() - start), wall: n / ((performance.now() - wallStart) / 1000) };
  };
  run(WARMUP_SECONDS);
  return run(seconds);
}
