/**
 * GaitLab's seeded generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator from
 * PractRand: 128-bit state, a, b, c and the counter d) seeded through splitmix32 (a golden-ratio
 * counter passed through MurmurHash3's 32-bit finalizer), so nearby seeds give unrelated streams.
 * Only 32-bit integer arithmetic: the same seed gives the same stream, bit for bit, on every JS engine.
 * The whole state, including the cached second variate of Box–Muller, round-trips through JSON.
 */

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
/** sfc32 rounds discarded after seeding so the first outputs are already well mixed (as PractRand does). */
const WARMUP_ROUNDS = 12;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** What getState() returns: [a, b, c, d, hasSpare (0 or 1), spare], all finite (JSON-safe). */
export type RngState = number[];

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Box–Muller makes two normals at a time; the second waits here for the next call. */
  private hasSpare = false;
  private spare = 0;

  /** Seeds are taken modulo 2^32 (JS bit operations), so use integers in [0, 2^32). */
  static fromSeed(seed: number): Rng {
    const rng = new Rng();
    rng.reseed(seed);
    return rng;
  }

  reseed(seed: number): void {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    this.hasSpare = false;
    this.spare = 0;
    for (let i = 0; i < WARMUP_ROUNDS; i++) this.nextUint32();
  }

  /** One sfc32 step: a uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1) with all 53 bits of the mantissa random (27 + 26 bits from two draws). */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }

  /** Uniform on [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A uniform integer in 0..n-1. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal by Box–Muller; every other call returns the cached second variate. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform(); // log(0) is -Infinity
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.uniform();
    this.hasSpare = true;
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  getState(): RngState {
    return [this.a, this.b, this.c, this.d, this.hasSpare ? 1 : 0, this.spare];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 6) throw new Error(`Rng state must have 6 numbers [a, b, c, d, hasSpare, spare], got ${state.length}`);
    const words = state.slice(0, 4);
    if (!words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new Error(`Rng state words must be 32-bit unsigned integers, got ${words.join(', ')}`);
    }
    if ((state[4] !== 0 && state[4] !== 1) || !Number.isFinite(state[5])) {
      throw new Error(`Rng state spare must be [0 or 1, a finite number], got [${state[4]}, ${state[5]}]`);
    }
    [this.a, this.b, this.c, this.d] = words;
    this.hasSpare = state[4] === 1;
    this.spare = state[5];
  }
}
