import { describe, expect, it } from 'vitest';
import * as categorical from './categorical.ts';
import { finiteDifference, randomArray, relativeError, seededUniform } from '../numeric.test-support.ts';

describe('categorical: values', () => {
  // p = (1/6, 2/6, 3/6); the second row is the same distribution shifted by 1000 (no overflow).
  const logits = Float32Array.of(0, Math.log(2), Math.log(3), 1000, 1000 + Math.log(2), 1000 + Math.log(3));

  it('logProb is the log-softmax at the action', () => {
    const out = new Float32Array(2);
    categorical.logProb(logits, 2, 3, Float32Array.of(2, 0), out);
    expect(out[0]).toBeCloseTo(Math.log(1 / 2), 6);
    expect(out[1]).toBeCloseTo(Math.log(1 / 6), 4);
  });

  it('entropy is -Σ p log p', () => {
    const out = new Float32Array(2);
    categorical.entropy(logits, 2, 3, out);
    const expected = -(1 / 6) * Math.log(1 / 6) - (1 / 3) * Math.log(1 / 3) - (1 / 2) * Math.log(1 / 2);
    expect(out[0]).toBeCloseTo(expected, 6);
    expect(out[1]).toBeCloseTo(expected, 4);
  });

  it('kl(uniform || p) = Σ 1/3 (log 1/3 - log p_k), and 0 against itself', () => {
    const out = new Float32Array(1);
    categorical.kl(new Float32Array(3), logits, 1, 3, out);
    expect(out[0]).toBeCloseTo(Math.log(1 / 3) - (Math.log(1 / 6) + Math.log(1 / 3) + Math.log(1 / 2)) / 3, 6);
    categorical.kl(logits, logits, 1, 3, out);
    expect(out[0]).toBeCloseTo(0, 7);
  });

  it('sample inverts the CDF (1/6, 1/2, 1)', () => {
    const draws = [0, 0.16, 0.17, 0.49, 0.51, 0.999999];
    const out = new Float32Array(6);
    categorical.sample(
      Float32Array.from({ length: 18 }, (_, i) => logits[i % 3]),
      6,
      3,
      () => draws.shift()!,
      out,
    );
    expect(Array.from(out)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('categorical: gradients match finite differences', () => {
  const uniform = seededUniform(41);
  const batch = 4,
    n = 5;
  const logits = randomArray(batch * n, uniform, 2),
    logitsOld = randomArray(batch * n, uniform, 2);
  const actions = Float32Array.of(0, 4, 2, 2);
  const weights = randomArray(batch, uniform);
  const out = new Float32Array(batch);
  const weighted = () => out.reduce((s, v, b) => s + v * weights[b], 0);

  function check(loss: () => number, backward: (dLogits: Float32Array) => void): void {
    const dLogits = new Float32Array(batch * n);
    backward(dLogits);
    expect(
      relativeError(
        dLogits,
        logits.map((_, i) => finiteDifference(loss, logits, i)),
      ),
    ).toBeLessThan(1e-3);
  }

  it('logProbBackward', () => {
    check(
      () => (categorical.logProb(logits, batch, n, actions, out), weighted()),
      (dLogits) => categorical.logProbBackward(logits, batch, n, actions, weights, dLogits),
    );
  });

  it('entropyBackward', () => {
    check(
      () => (categorical.entropy(logits, batch, n, out), weighted()),
      (dLogits) => categorical.entropyBackward(logits, batch, n, weights, dLogits),
    );
  });

  it('klBackward, w.r.t. the new logits', () => {
    check(
      () => (categorical.kl(logitsOld, logits, batch, n, out), weighted()),
      (dLogits) => categorical.klBackward(logitsOld, logits, batch, n, weights, dLogits),
    );
  });

  it('adds into the gradient buffer', () => {
    const dLogits = new Float32Array(batch * n).fill(1),
      fresh = new Float32Array(batch * n);
    categorical.logProbBackward(logits, batch, n, actions, weights, dLogits);
    categorical.logProbBackward(logits, batch, n, actions, weights, fresh);
    expect(
      relativeError(
        dLogits,
        fresh.map((g) => g + 1),
      ),
    ).toBeLessThan(1e-6);
  });
});
