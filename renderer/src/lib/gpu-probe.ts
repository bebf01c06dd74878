/**
 * Whether WebGL runs on a software rasterizer (SwiftShader, llvmpipe): there every pixel costs CPU
 * that training needs, so the viewer draws cheaper frames and the page paints less often. Probed
 * once (a probe is a WebGL context of its own).
 */
let software: boolean | undefined;

export function isSoftwareGl(): boolean {
  software ??= probe();
  return software;
}

function probe(): boolean {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}
