/**
 * The live viewer's stage: the shared World (world.ts) drawn on the page's canvas, with an orbit
 * camera (z up) that follows the torso. It draws only when something changed (a new frame, the
 * camera, the size or the theme), so a paused viewer costs nothing while training runs. How often
 * it is asked to draw is the caller's (paint frames, ../lib/paint-frames.ts).
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Scene } from '../../../sim/core/scene.ts';
import { isSoftwareGl } from '../lib/gpu-probe.ts';
import { themePalette } from './palette.ts';
import { World, type View } from './world.ts';

/** Drawing-buffer pixels per CSS pixel with software GL: about half the pixels of 1. */
const SOFTWARE_PIXEL_RATIO = 0.75;
/** Share of the way the camera closes on its target in each 60th of a second. */
const FOLLOW_RATE = 0.12;

export class Stage {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly camera = new THREE.PerspectiveCamera(40, 1, 0.05, 200);
  private readonly controls: OrbitControls;
  private readonly world: World;
  /** Its target is the orbit's: the camera turns around what the world follows. */
  private view: View | null = null;
  private dirty = true;

  /**
   * A software rasterizer (no GPU) draws with the CPU that training needs: no antialiasing, fewer
   * pixels (scaled up by the page), a small shadow map sampled once per pixel instead of filtered.
   * Each of these took a fifth to a third off the GPU process's CPU while a run trains.
   */
  private readonly software = isSoftwareGl();
  private lastRenderMs: number | null = null;

  constructor(canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: !this.software, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(this.software ? SOFTWARE_PIXEL_RATIO : Math.min(devicePixelRatio, 2));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = this.software ? THREE.BasicShadowMap : THREE.PCFShadowMap;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;
    this.world = new World({ shadowMapSize: this.software ? 512 : 2048 });

    this.camera.up.set(0, 0, 1);
    this.camera.position.set(0, -4, 1.6);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.target.set(0, 0, 0.8);
    this.controls.maxPolarAngle = Math.PI * 0.495;
    this.controls.addEventListener('change', () => (this.dirty = true));
    this.applyTheme();
  }

  /** Re-reads the theme's colors (styles/app.css). */
  applyTheme(): void {
    this.world.setPalette(themePalette(), this.software ? 1 : this.renderer.capabilities.getMaxAnisotropy());
    this.dirty = true;
  }

  /** Shows a new robot and frames the camera on where it goes during `frames` (an episode). */
  setScene(scene: Scene, frames: ArrayLike<number>): void {
    this.world.setRobot(scene);
    this.frameCamera(frames);
  }

  /** Puts the camera back where it sees the robot throughout `frames` (an episode), whatever the user did with it. */
  frameCamera(frames: ArrayLike<number>): void {
    const { target, radius } = this.world.frameEpisode(frames, this.camera, 'follow');
    this.view = { target: this.controls.target.copy(target), radius };
    this.dirty = true;
  }

  showFrame(frames: ArrayLike<number>, frame: number): void {
    if (!this.view) return;
    this.world.showFrame(frames, frame);
    this.dirty = true;
  }

  resize(width: number, height: number): void {
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }

  /** Draws if anything changed; true when it drew. */
  render(now: number): boolean {
    this.controls.update();
    // Slides target and camera together toward the robot along the ground, keeping the user's
    // orbit: as far in a second at any frame rate (paint frames are fewer with software GL).
    const sixtieths = this.lastRenderMs === null ? 1 : Math.min(60, ((now - this.lastRenderMs) * 60) / 1000);
    this.lastRenderMs = now;
    if (this.view && this.world.slide(this.camera, this.view, 1 - (1 - FOLLOW_RATE) ** sixtieths)) this.dirty = true;
    if (!this.dirty) return false;
    this.dirty = false;
    this.renderer.render(this.world.scene, this.camera);
    return true;
  }

  dispose(): void {
    this.world.dispose();
    this.controls.dispose();
    this.renderer.dispose();
    // Browsers keep only a few WebGL contexts alive: free this one now, not at garbage collection.
    this.renderer.forceContextLoss();
  }
}
