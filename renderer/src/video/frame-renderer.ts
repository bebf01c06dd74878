/**
 * Draws the frames of a recording job, one call per video frame, with the live viewer's World
 * (same robot meshes, lights, ground and framing): each clip's camera is framed on its episode,
 * the robot posed from the step the frame shows, the 3-D view drawn into the clip's cell of a 2-D
 * canvas and the overlay drawn over it. Frames are a pure function of their index, so a video
 * looks the same however fast it was made.
 */
import * as THREE from 'three';
import { clipFrameCount, jobFps, stepAtFrame, type RecordClip, type RecordJob } from '../../../main/video/record-job.ts';
import { formatNumber, formatSteps } from '../lib/format.ts';
import { themePalette } from '../viewer/palette.ts';
import { World, type View } from '../viewer/world.ts';
import { gridCells, type Cell } from './layout.ts';
import { Overlay } from './overlay.ts';

/** Seconds the following camera takes to close about two thirds of the way on the robot. */
const FOLLOW_SECONDS = 0.15;

interface ClipState {
  clip: RecordClip;
  camera: THREE.PerspectiveCamera;
  view: View;
  /** Video frames the clip lasts. */
  frames: number;
  /** Running return: returns[i] is the sum of the first i rewards. */
  returns: Float64Array;
}

export class FrameRenderer {
  /** The finished frame: what gets encoded. */
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly gl: THREE.WebGLRenderer;
  private readonly world = new World({ shadowMapSize: 2048 });
  private readonly overlay: Overlay;
  private readonly cells: Cell[];
  private readonly clips: ClipState[];
  private readonly background: string;
  private readonly followRate: number;

  constructor(private readonly job: RecordJob) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = job.width;
    this.canvas.height = job.height;
    this.context = this.canvas.getContext('2d', { alpha: false })!;
    this.overlay = new Overlay(this.context);
    this.cells = job.layout === 'grid' ? gridCells(job.clips.length, job.width, job.height) : [{ x: 0, y: 0, width: job.width, height: job.height }];
    const { width, height } = this.cells[0];
    this.gl = new THREE.WebGLRenderer({ antialias: true, powerPreference: 'high-performance' });
    this.gl.setPixelRatio(1);
    this.gl.setSize(width, height, false);
    this.gl.shadowMap.enabled = true;
    this.gl.shadowMap.type = THREE.PCFShadowMap;
    this.gl.toneMapping = THREE.ACESFilmicToneMapping;
    const palette = themePalette();
    this.background = palette.background;
    // No anisotropic filtering of the ground: on a software rasterizer it costs more than the
    // rest of the frame, and the grid fades into the fog before it would show.
    this.world.setPalette(palette, 1);
    this.world.setRobot(job.clips[0].scene);
    this.followRate = 1 - Math.exp(-1 / jobFps(job) / FOLLOW_SECONDS);
    this.clips = job.clips.map((clip) => {
      const camera = new THREE.PerspectiveCamera(40, width / height, 0.05, 200);
      camera.up.set(0, 0, 1);
      const returns = new Float64Array(clip.rewards.length + 1);
      clip.rewards.forEach((reward, i) => (returns[i + 1] = returns[i] + reward));
      const view = this.world.frameEpisode(clip.frames, camera, job.camera);
      return { clip, camera, view, frames: clipFrameCount(clip.rewards.length, clip.dtSeconds, job.fps), returns };
    });
  }

  /** Draws video frame `k` (0-based, frames drawn in order) onto `canvas`. */
  draw(k: number): void {
    const c = this.context;
    c.fillStyle = this.background;
    c.fillRect(0, 0, this.job.width, this.job.height);
    if (this.job.layout === 'grid') {
      // Every checkpoint at once; a clip that ended holds its last pose.
      this.clips.forEach((state, i) => {
        const local = Math.min(k, state.frames - 1);
        this.drawClip(state, local, this.cells[i]);
        this.overlay.outline(this.cells[i]);
        this.cellLabels(state, local, this.cells[i]);
      });
      this.overlay.stats(this.cells[0], 'top-left', [this.titleStat()]);
      return;
    }
    let local = k;
    let index = 0;
    while (index < this.clips.length - 1 && local >= this.clips[index].frames) local -= this.clips[index++].frames;
    const state = this.clips[index];
    this.drawClip(state, local, this.cells[0]);
    const step = stepAtFrame(local, state.clip.rewards.length, state.clip.dtSeconds, this.job.fps);
    this.overlay.stats(this.cells[0], 'top-left', [
      this.titleStat(),
      { caption: 'trained steps', value: formatSteps(state.clip.step) },
      { caption: 'episode return', value: formatNumber(state.returns[step], 4), of: `/ ${formatNumber(state.returns[state.returns.length - 1], 4)}` },
      { caption: 'step', value: String(step), of: `/ ${state.clip.rewards.length - 1}` },
    ]);
    this.overlay.badge(this.cells[0], state.clip.label);
  }

  dispose(): void {
    this.world.dispose();
    this.gl.dispose();
    this.gl.forceContextLoss();
  }

  private drawClip(state: ClipState, local: number, cell: Cell): void {
    const { clip, camera, view } = state;
    this.world.showFrame(clip.frames, stepAtFrame(local, clip.rewards.length, clip.dtSeconds, this.job.fps));
    if (this.job.camera === 'fixed') this.world.light(view);
    // A clip's first frame keeps the framing; the camera slides after the robot from then on.
    else if (local === 0 || !this.world.slide(camera, view, this.followRate)) this.world.light(view);
    this.gl.render(this.world.scene, camera);
    // Read back in the same task as the render: the drawing buffer is still there.
    this.context.drawImage(this.gl.domElement, cell.x, cell.y);
  }

  private cellLabels(state: ClipState, local: number, cell: Cell): void {
    const step = stepAtFrame(local, state.clip.rewards.length, state.clip.dtSeconds, this.job.fps);
    this.overlay.stats(cell, 'bottom-left', [
      { caption: state.clip.label, value: `${formatSteps(state.clip.step)} steps` },
      { caption: 'return', value: formatNumber(state.returns[step], 4), of: `/ ${formatNumber(state.returns[state.returns.length - 1], 4)}` },
    ]);
  }

  private titleStat(): { caption: string; value: string } {
    const { run, env, algo } = this.job.title;
    return { caption: `${env} · ${algo}`, value: run };
  }
}
