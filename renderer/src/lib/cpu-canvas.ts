/**
 * With software GL, 2-D canvases (the charts) are drawn on the CPU. Chromium otherwise rasters
 * them through its GPU process, which is SwiftShader there: a redraw then costs in proportion to
 * the curve's points, so a long run's charts took more and more of the CPU that training needs
 * (measured while a Pendulum run trained: the GPU process went from 0.52 to 0.89 of a core over
 * 500 metrics rows, against 0.45-0.53 throughout with the charts on the CPU). A canvas asked for
 * `willReadFrequently` is one Chromium keeps on the CPU; uPlot makes its own canvases, so every
 * 2-D context the page asks for without saying gets that.
 */
export function drawCanvasesOnCpu(): void {
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, options?: unknown) {
    const settings = type === '2d' ? { willReadFrequently: true, ...(options as CanvasRenderingContext2DSettings | undefined) } : options;
    return Reflect.apply(getContext, this, [type, settings]) as RenderingContext | null;
  } as typeof getContext;
}
