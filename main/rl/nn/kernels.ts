/**
 * Dense-layer kernels of the fused engine on row-major Float32Arrays.
 *
 * Why the 2x4 tiles: V8 does not vectorize, so a multiply-add costs what its loads and stores cost.
 * Keeping a 2-row x 4-column tile of the output in locals reads 6 values per 8 multiply-adds and
 * writes nothing inside the loop: 0.45 ns per multiply-add at 64x64 on our 2-core machine, against
 * 1.8 ns for the textbook i-k-j loop (4x4 tiles measured no faster). An odd last row is computed as
 * a duplicate of itself and not stored, so every row goes through the same tile code.
 */

/** c[M, N] = a[M, K] · b[K, N] + bias[N]: the forward pass of a dense layer. */
export function matMulAddBias(a: Float32Array, b: Float32Array, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i += 2) {
    const a0 = i * k,
      a1 = i + 1 < m ? a0 + k : a0,
      c0 = i * n,
      c1 = c0 + n,
      secondRow = i + 1 < m;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = bias[j],
        s01 = bias[j + 1],
        s02 = bias[j + 2],
        s03 = bias[j + 3];
      let s10 = s00,
        s11 = s01,
        s12 = s02,
        s13 = s03;
      for (let p = 0, q = j; p < k; p++, q += n) {
        const x0 = a[a0 + p],
          x1 = a[a1 + p];
        const w0 = b[q],
          w1 = b[q + 1],
          w2 = b[q + 2],
          w3 = b[q + 3];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      c[c0 + j] = s00;
      c[c0 + j + 1] = s01;
      c[c0 + j + 2] = s02;
      c[c0 + j + 3] = s03;
      if (secondRow) {
        c[c1 + j] = s10;
        c[c1 + j + 1] = s11;
        c[c1 + j + 2] = s12;
        c[c1 + j + 3] = s13;
      }
    }
    for (; j < n; j++) {
      let s0 = bias[j],
        s1 = s0;
      for (let p = 0, q = j; p < k; p++, q += n) {
        const w = b[q];
        s0 += a[a0 + p] * w;
        s1 += a[a1 + p] * w;
      }
      c[c0 + j] = s0;
      if (secondRow) c[c1 + j] = s1;
    }
  }
}

/** c[M, N] = a[M, K] · b[N, K]ᵀ: the input gradient dX = dZ · Wᵀ of a dense layer. */
export function matMulTransposedB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i += 2) {
    const a0 = i * k,
      a1 = i + 1 < m ? a0 + k : a0,
      c0 = i * n,
      c1 = c0 + n,
      secondRow = i + 1 < m;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      const b0 = j * k,
        b1 = b0 + k,
        b2 = b1 + k,
        b3 = b2 + k;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p],
          x1 = a[a1 + p];
        const w0 = b[b0 + p],
          w1 = b[b1 + p],
          w2 = b[b2 + p],
          w3 = b[b3 + p];
        s00 += x0 * w0;
        s01 += x0 * w1;
        s02 += x0 * w2;
        s03 += x0 * w3;
        s10 += x1 * w0;
        s11 += x1 * w1;
        s12 += x1 * w2;
        s13 += x1 * w3;
      }
      c[c0 + j] = s00;
      c[c0 + j + 1] = s01;
      c[c0 + j + 2] = s02;
      c[c0 + j + 3] = s03;
      if (secondRow) {
        c[c1 + j] = s10;
        c[c1 + j + 1] = s11;
        c[c1 + j + 2] = s12;
        c[c1 + j + 3] = s13;
      }
    }
    for (; j < n; j++) {
      let s0 = 0,
        s1 = 0;
      for (let p = 0, q = j * k; p < k; p++) {
        const w = b[q + p];
        s0 += a[a0 + p] * w;
        s1 += a[a1 + p] * w;
      }
      c[c0 + j] = s0;
      if (secondRow) c[c1 + j] = s1;
    }
  }
}

/** c[M, N] += a[K, M]ᵀ · b[K, N]: the weight gradient dW += Xᵀ · dZ of a dense layer (K = batch). */
export function addMatMulTransposedA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i += 2) {
    const i1 = i + 1 < m ? i + 1 : i,
      c0 = i * n,
      c1 = c0 + n,
      secondRow = i + 1 < m;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      for (let p = 0, ap = 0, bp = j; p < k; p++, ap += m, bp += n) {
        const x0 = a[ap + i],
          x1 = a[ap + i1];
        const d0 = b[bp],
          d1 = b[bp + 1],
          d2 = b[bp + 2],
          d3 = b[bp + 3];
        s00 += x0 * d0;
        s01 += x0 * d1;
        s02 += x0 * d2;
        s03 += x0 * d3;
        s10 += x1 * d0;
        s11 += x1 * d1;
        s12 += x1 * d2;
        s13 += x1 * d3;
      }
      c[c0 + j] += s00;
      c[c0 + j + 1] += s01;
      c[c0 + j + 2] += s02;
      c[c0 + j + 3] += s03;
      if (secondRow) {
        c[c1 + j] += s10;
        c[c1 + j + 1] += s11;
        c[c1 + j + 2] += s12;
        c[c1 + j + 3] += s13;
      }
    }
    for (; j < n; j++) {
      let s0 = 0,
        s1 = 0;
      for (let p = 0, ap = 0, bp = j; p < k; p++, ap += m, bp += n) {
        const d = b[bp];
        s0 += a[ap + i] * d;
        s1 += a[ap + i1] * d;
      }
      c[c0 + j] += s0;
      if (secondRow) c[c1 + j] += s1;
    }
  }
}

/** out[N] += Σ_i a[i, N]: the bias gradient of a dense layer. */
export function addColumnSums(a: Float32Array, out: Float32Array, m: number, n: number): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0, q = j; i < m; i++, q += n) s += a[q];
    out[j] += s;
  }
}

/** The three products of a dense layer, as the fused engine calls them (see XnnpackGemm for the other provider). */
export interface Gemm {
  matMulAddBias(a: Float32Array, b: Float32Array, bias: Float32Array, c: Float32Array, m: number, k: number, n: number): void;
  matMulTransposedB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void;
  addMatMulTransposedA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void;
}

/** The kernels above as a Gemm. */
export const typescriptGemm: Gemm = { matMulAddBias, matMulTransposedB, addMatMulTransposedA };

/**
 * x[0 .. count) = tanh(x) in place. Eigen's float32 rational approximation (what TensorFlow's CPU
 * kernels use): within 2 float32 ulps of tanh, and 4 ns instead of Math.tanh's 15 ns per value here.
 */
export function tanhInPlace(x: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    let v = x[i];
    v = v > 7.90531110763549805 ? 7.90531110763549805 : v < -7.90531110763549805 ? -7.90531110763549805 : v;
    const v2 = v * v;
    const num =
      v *
      (4.89352455891786e-3 +
        v2 *
          (6.37261928875436e-4 +
            v2 * (1.48572235717979e-5 + v2 * (5.12229709037114e-8 + v2 * (-8.60467152213735e-11 + v2 * (2.00018790482477e-13 + v2 * -2.76076847742355e-16))))));
    const den = 4.89352518554385e-3 + v2 * (2.268434632439e-3 + v2 * (1.18534705686654e-4 + v2 * 1.19825839466702e-6));
    x[i] = num / den;
  }
}

export function reluInPlace(x: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) if (x[i] < 0) x[i] = 0;
}

/** dx[i] *= tanh'(.) = 1 - y[i]², where y = tanh(.) is the layer's output. */
export function mulTanhGrad(y: Float32Array, dx: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = y[i];
    dx[i] *= 1 - v * v;
  }
}

/** dx[i] = 0 where the ReLU output y[i] is 0. */
export function mulReluGrad(y: Float32Array, dx: Float32Array, count: number): void {
  for (let i = 0; i < count; i++) if (y[i] <= 0) dx[i] = 0;
}
