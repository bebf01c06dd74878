import { describe, expect, it } from 'vitest';
import * as gaussian from './diag-gaussian.ts';
import { finiteDifference, randomArray, relativeError, seededUniform } from '../numeric.test-support.ts';

const LOG_2PI = Math.log(2 * Math.PI);

describe('diagonal Gaussian: values', () => {
  // mean (0, 1), std (1, 2), action (1, 2): z = (1, 0.5).
  const mean = Float32Array.of(0, 1),
    logStd = Float32Array.of(0, Math.log(2)),
    action = Float32Array.of(1, 2);

  it('logProb sums the per-dimension log densities', () => {
    const out = new Float32Array(1);
    gaussian.logProb(mean, logStd, action, 1, out);
    // (-1/2 - log √2π) + (-1/8 - log 2 - log √2π)
    expect(out[0]).toBeCloseTo(-0.625 - Math.log(2) - LOG_2PI, 6);
  });

  it('entropy is Σ 1/2 + log √2π + logStd', () => {
    expect(gaussian.entropy(logStd)).toBeCloseTo(1 + LOG_2PI + Math.log(2), 6);
  });

  it('kl(N(0, 1) || N(1, 2²)) = log 2 + (1 + 1) / 8 - 1/2, and 0 against itself', () => {
    const out = new Float32Array(2);
    gaussian.kl(Float32Array.of(0, 3), Float32Array.of(0), Float32Array.of(1, 3), Float32Array.of(Math.log(2)), 1, out);
    expect(out[0]).toBeCloseTo(Math.log(2) + 0.25 - 0.5, 6);
    gaussian.kl(mean, logStd, mean, logStd, 1, out);
    expect(out[0]).toBe(0);
  });

  it('keeps the digits of a tiny KL', () => {
    const out = new Float32Array(1);
    gaussian.kl(Float32Array.of(0), Float32Array.of(0), Float32Array.of(1e-4), Float32Array.of(0), 1, out);
    expect(out[0] / 5e-9).toBeCloseTo(1, 5);
  });

  it('sample is mean + std · ε, row by row', () => {
    const eps = [0.5, -1, 2, 0];
    const out = new Float32Array(4);
    gaussian.sample(Float32Array.of(0, 1, 10, 20), logStd, 2, () => eps.shift()!, out);
    expect(Array.from(out)).toEqual([0.5, -1, 12, 20]);
  });
});

describe('diagonal Gaussian: gradients match finite differences', () => {
  const uniform = seededUniform(31);
  const batch = 5,
    a = 3;
  const mean = randomArray(batch * a, uniform),
    meanOld = randomArray(batch * a, uniform);
  const logStd = randomArray(a, uniform, 0.5),
    logStdOld = randomArray(a, uniform, 0.5);
  const actions = randomArray(batch * a, uniform, 2);
  const weights = randomArray(batch, uniform); // dLoss/d(per-sample value)
  const out = new Float32Array(batch);
  const weighted = () => out.reduce((s, v, b) => s + v * weights[b], 0);

  function check(loss: () => number, backward: (dMean: Float32Array, dLogStd: Float32Array) => void): void {
    const dMean = new Float32Array(batch * a),
      dLogStd = new Float32Array(a);
    backward(dMean, dLogStd);
    expect(
      relativeError(
        dMean,
        mean.map((_, i) => finiteDifference(loss, mean, i)),
      ),
    ).toBeLessThan(1e-3);
    expect(
      relativeError(
        dLogStd,
        logStd.map((_, k) => finiteDifference(loss, logStd, k)),
      ),
    ).toBeLessThan(1e-3);
  }

  it('logProbBackward', () => {
    check(
      () => (gaussian.logProb(mean, logStd, actions, batch, out), weighted()),
      (dMean, dLogStd) => gaussian.logProbBackward(mean, logStd, actions, batch, weights, dMean, dLogStd),
    );
  });

  it('klBackward, w.r.t. the new distribution', () => {
    check(
      () => (gaussian.kl(meanOld, logStdOld, mean, logStd, batch, out), weighted()),
      (dMean, dLogStd) => gaussian.klBackward(meanOld, logStdOld, mean, logStd, batch, weights, dMean, dLogStd),
    );
  });

  it('entropyBackward', () => {
    check(
      () => 0.7 * gaussian.entropy(logStd),
      (_dMean, dLogStd) => gaussian.entropyBackward(0.7, dLogStd),
    );
  });

  it('adds into the gradient buffers', () => {
    const dMean = new Float32Array(batch * a).fill(1),
      dLogStd = new Float32Array(a).fill(1);
    const fresh = [new Float32Array(batch * a), new Float32Array(a)] as const;
    gaussian.logProbBackward(mean, logStd, actions, batch, weights, dMean, dLogStd);
    gaussian.logProbBackward(mean, logStd, actions, batch, weights, ...fresh);
    expect(
      relativeError(
        dMean,
        fresh[0].map((g) => g + 1),
      ),
    ).toBeLessThan(1e-6);
    expect(
      relativeError(
        dLogStd,
        fresh[1].map((g) => g + 1),
      ),
    ).toBeLessThan(1e-6);
  });
});
