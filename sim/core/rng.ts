/**
 * GaitLab's seeded generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit
 * state, passes PractRand), seeded through splitmix32 so nearby seeds give unrelated streams.
 * The whole state, including the spare Gaussian of Box–Muller, is saved in checkpoints.
 */

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

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** The second Box–Muller variate, NaN when none is cached. */
  private spare = Number.NaN;

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
    this.spare = Number.NaN;
    for (let i = 0; i < 12; i++) this.nextUint32(); // let the state diffuse
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** An integer in 0..n-1. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box–Muller; the second variate is cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const value = this.spare;
      this.spare = Number.NaN;
      return value;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  getState(): number[] {
    return [this.a, this.b, this.c, this.d, this.spare];
  }

  /** Accepts the JSON round trip of getState() (a NaN spare comes back as null). */
  setState(state: readonly (number | null)[]): void {
    if (state.length !== 5) throw new Error(`Rng state must have 5 numbers, got ${state.length}`);
    [this.a, this.b, this.c, this.d] = state.slice(0, 4).map((v) => Number(v) >>> 0);
    this.spare = state[4] ?? Number.NaN;
  }
}
