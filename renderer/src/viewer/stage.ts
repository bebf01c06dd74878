/**
 * The 3-D stage around a robot: lights with soft shadows, a ground with a grid, and an orbit
 * camera (z up) that follows the torso. It draws only when something changed (a new frame, the
 * camera, the size or the theme), so a paused viewer costs nothing while training runs.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Scene } from '../../../sim/core/scene.ts';
import { cssVar } from '../lib/theme.svelte.ts';
import { isSoftwareGl } from './gpu-probe.ts';
import { RobotModel } from './robot-model.ts';

const GROUND_SIZE = 400;
/** Poses sampled across the first episode to frame the camera. */
const FRAMING_SAMPLES = 12;
/** Share of the way the camera closes on its target each drawn frame. */
const FOLLOW_RATE = 0.12;

export class Stage {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly world = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(40, 1, 0.05, 200);
  private readonly controls: OrbitControls;
  private readonly sun = new THREE.DirectionalLight(0xffffff, 2.4);
  private readonly hemisphere = new THREE.HemisphereLight(0xffffff, 0x444444, 1.1);
  private readonly ground: THREE.Mesh<THREE.PlaneGeometry, THREE.MeshLambertMaterial>;
  private model: RobotModel | null = null;
  /** The body the camera follows, or -1 for the middle of all bodies. */
  private followBody = -1;
  private readonly followGoal = new THREE.Vector3();
  private readonly scratch = new THREE.Vector3();
  private dirty = true;

  /**
   * A software rasterizer (no GPU) draws with the CPU that training needs: there the viewer draws
   * at most 8 frames a second, without antialiasing and with a small shadow map. Playback stays
   * real time; frames are skipped.
   */
  private readonly software = isSoftwareGl();
  private readonly frameIntervalMs = this.software ? 1000 / 8 : 0;
  private lastDrawMs = -Infinity;

  constructor(canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: !this.software, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(this.software ? 1 : Math.min(devicePixelRatio, 2));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = THREE.PCFShadowMap;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;

    this.camera.up.set(0, 0, 1);
    this.camera.position.set(0, -4, 1.6);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.target.set(0, 0, 0.8);
    this.controls.maxPolarAngle = Math.PI * 0.495;
    this.controls.addEventListener('change', () => (this.dirty = true));

    this.sun.castShadow = true;
    this.sun.shadow.mapSize.setScalar(this.software ? 512 : 2048);
    this.sun.shadow.radius = 3;
    this.sun.shadow.bias = -0.0005;
    this.sun.shadow.normalBias = 0.02;
    this.hemisphere.position.set(0, 0, 1); // sky above in a z-up world
    this.world.add(this.sun, this.sun.target, this.hemisphere);
    this.placeSun();

    // Matte, so Lambert shading: the ground fills most pixels, and PBR there costs far more.
    this.ground = new THREE.Mesh(new THREE.PlaneGeometry(GROUND_SIZE, GROUND_SIZE), new THREE.MeshLambertMaterial());
    this.ground.receiveShadow = true;
    this.world.add(this.ground);
    this.applyTheme();
  }

  /** Re-reads the theme's colors (styles/app.css). */
  applyTheme(): void {
    const background = new THREE.Color(cssVar('--viewer-bg'));
    this.world.background = background;
    this.world.fog = new THREE.Fog(background, 18, 60);
    const material = this.ground.material;
    material.map?.dispose();
    material.map = gridTexture(cssVar('--viewer-ground'), cssVar('--viewer-grid'), cssVar('--viewer-grid-minor'));
    material.map.anisotropy = this.software ? 1 : this.renderer.capabilities.getMaxAnisotropy();
    material.needsUpdate = true;
    this.dirty = true;
  }

  /** Shows a new robot and frames the camera on where it goes during `frames` (an episode). */
  setScene(scene: Scene, frames: ArrayLike<number>): void {
    if (this.model) {
      this.world.remove(this.model.root);
      this.model.dispose();
    }
    this.model = new RobotModel(scene);
    this.world.add(this.model.root);
    this.followBody = scene.bodies.findIndex((body) => /torso|trunk|chassis|root/i.test(body.name));
    this.frameCamera(frames);
    this.model.applyFrame(frames, 0);
    this.followPoint(this.followGoal);
    const offset = new THREE.Vector3(this.followGoal.x, this.followGoal.y, 0);
    this.controls.target.add(offset);
    this.camera.position.add(offset);
    this.placeSun();
  }

  showFrame(frames: ArrayLike<number>, frame: number): void {
    if (!this.model) return;
    this.model.applyFrame(frames, frame);
    this.followPoint(this.followGoal);
    this.dirty = true;
  }

  resize(width: number, height: number): void {
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }

  /** Draws if anything changed (and the frame budget allows); true when it drew. */
  render(now: number): boolean {
    this.controls.update();
    this.follow();
    if (!this.dirty || now - this.lastDrawMs < this.frameIntervalMs) return false;
    this.dirty = false;
    this.lastDrawMs = now;
    this.renderer.render(this.world, this.camera);
    return true;
  }

  dispose(): void {
    this.model?.dispose();
    this.ground.material.map?.dispose();
    this.ground.geometry.dispose();
    this.ground.material.dispose();
    this.controls.dispose();
    this.renderer.dispose();
    // Browsers keep only a few WebGL contexts alive: free this one now, not at garbage collection.
    this.renderer.forceContextLoss();
  }

  /**
   * Places the camera in front of the robot (looking along +y, the side planar motion is seen from),
   * far enough to see all of it in every pose of the episode, measured around the followed point
   * (the camera is placed around the origin; setScene moves it to the robot).
   */
  private frameCamera(frames: ArrayLike<number>): void {
    if (!this.model) return;
    const frameCount = frames.length / (this.model.bodyCount * 7);
    const reach = new THREE.Box3();
    const pose = new THREE.Box3();
    const origin = new THREE.Vector3();
    for (let i = 0; i < FRAMING_SAMPLES; i++) {
      this.model.applyFrame(frames, Math.floor((i * (frameCount - 1)) / (FRAMING_SAMPLES - 1)));
      this.model.root.updateMatrixWorld(true);
      this.followPoint(origin);
      pose.setFromObject(this.model.root);
      reach.union(pose.translate(origin.set(-origin.x, -origin.y, 0)));
    }
    reach.expandByPoint(new THREE.Vector3(0, 0, 0)); // keep the ground in view
    const size = reach.getSize(new THREE.Vector3());
    const center = reach.getCenter(new THREE.Vector3());
    const radius = Math.max(0.6, Math.hypot(size.x, size.z) / 2);
    const distance = (radius / Math.tan(THREE.MathUtils.degToRad(this.camera.fov / 2))) * 1.3;
    // Aim a little above the middle: the overlay covers the top of the view.
    this.controls.target.set(0, 0, center.z + radius * 0.15);
    this.camera.position.set(distance * 0.18, -distance, center.z + distance * 0.22);
    const shadow = this.sun.shadow.camera;
    shadow.left = shadow.bottom = -Math.max(2, radius * 2);
    shadow.right = shadow.top = Math.max(2, radius * 2);
    shadow.near = 0.1;
    shadow.far = 40;
    shadow.updateProjectionMatrix();
    this.dirty = true;
  }

  /** Where the camera should look: the followed body, or the middle of all bodies. */
  private followPoint(out: THREE.Vector3): void {
    if (!this.model) return;
    if (this.followBody >= 0) {
      this.model.bodyPosition(this.followBody, out);
      return;
    }
    out.set(0, 0, 0);
    for (let i = 0; i < this.model.bodyCount; i++) out.add(this.model.bodyPosition(i, this.scratch));
    out.divideScalar(Math.max(1, this.model.bodyCount));
  }

  /** Slides target and camera together toward the goal along the ground, keeping the user's orbit. */
  private follow(): void {
    const target = this.controls.target;
    const dx = (this.followGoal.x - target.x) * FOLLOW_RATE;
    const dy = (this.followGoal.y - target.y) * FOLLOW_RATE;
    if (Math.abs(dx) + Math.abs(dy) < 1e-5) return;
    target.x += dx;
    target.y += dy;
    this.camera.position.x += dx;
    this.camera.position.y += dy;
    this.placeSun();
    this.dirty = true;
  }

  /** The sun's shadow box travels with the robot. */
  private placeSun(): void {
    const target = this.controls.target;
    this.sun.position.set(target.x + 3, target.y - 4, 8);
    this.sun.target.position.set(target.x, target.y, 0);
    this.sun.target.updateMatrixWorld();
  }
}

/**
 * The ground's grid as a repeating texture, one tile per metre: lines drawn as geometry that pass
 * behind the camera are dropped by some software GL implementations, a texture never is.
 */
function gridTexture(ground: string, major: string, minor: string): THREE.CanvasTexture {
  const size = 256;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d')!;
  context.fillStyle = ground;
  context.fillRect(0, 0, size, size);
  context.fillStyle = minor;
  for (let i = 1; i < 4; i++) {
    context.fillRect((i * size) / 4, 0, 1, size);
    context.fillRect(0, (i * size) / 4, size, 1);
  }
  context.fillStyle = major;
  context.fillRect(0, 0, 2, size);
  context.fillRect(0, 0, size, 2);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.wrapS = texture.wrapT = THREE.RepeatWrapping;
  texture.repeat.set(GROUND_SIZE, GROUND_SIZE);
  return texture;
}
