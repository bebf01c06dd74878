/**
 * The 3-D world around a robot, shared by the live viewer (stage.ts) and the video exporter
 * (../video): lights with soft shadows, a ground with a grid, the robot's meshes posed from a
 * frame, and where a camera should stand to see an episode. It owns no renderer and no camera, so
 * one builder serves an interactive canvas and an offline frame-by-frame render alike.
 */
import * as THREE from 'three';
import { FRAME_STRIDE, type Scene } from '../../../sim/core/scene.ts';
import type { CameraStyle } from '../../../main/config/record-request.ts';
import { RobotModel } from './robot-model.ts';

/** The world's colors (the viewer's design tokens in styles/app.css). */
export interface WorldPalette {
  background: string;
  ground: string;
  grid: string;
  gridMinor: string;
}

/** What a camera looks at, and how far around it the robot reaches (for the shadows). */
export interface View {
  target: THREE.Vector3;
  radius: number;
}

const GROUND_SIZE = 400;
/** Poses sampled across an episode to frame the camera. */
const FRAMING_SAMPLES = 12;

export class World {
  readonly scene = new THREE.Scene();
  private readonly sun = new THREE.DirectionalLight(0xffffff, 2.4);
  private readonly hemisphere = new THREE.HemisphereLight(0xffffff, 0x444444, 1.1);
  private readonly ground: THREE.Mesh<THREE.PlaneGeometry, THREE.MeshLambertMaterial>;
  private model: RobotModel | null = null;
  /** The body the camera follows, or -1 for the middle of all bodies. */
  private followBody = -1;
  private readonly scratch = new THREE.Vector3();

  constructor(options: { shadowMapSize: number }) {
    this.sun.castShadow = true;
    this.sun.shadow.mapSize.setScalar(options.shadowMapSize);
    this.sun.shadow.radius = 3;
    this.sun.shadow.bias = -0.0005;
    this.sun.shadow.normalBias = 0.02;
    this.hemisphere.position.set(0, 0, 1); // sky above in a z-up world
    this.scene.add(this.sun, this.sun.target, this.hemisphere);
    this.light({ target: new THREE.Vector3(), radius: 1 });

    // Matte, so Lambert shading: the ground fills most pixels, and PBR there costs far more.
    this.ground = new THREE.Mesh(new THREE.PlaneGeometry(GROUND_SIZE, GROUND_SIZE), new THREE.MeshLambertMaterial());
    this.ground.receiveShadow = true;
    this.scene.add(this.ground);
  }

  setPalette(palette: WorldPalette, anisotropy: number): void {
    const background = new THREE.Color(palette.background);
    this.scene.background = background;
    this.scene.fog = new THREE.Fog(background, 18, 60);
    const material = this.ground.material;
    material.map?.dispose();
    material.map = gridTexture(palette);
    material.map.anisotropy = anisotropy;
    material.needsUpdate = true;
  }

  /** Shows a new robot (replacing the one shown). */
  setRobot(scene: Scene): void {
    if (this.model) {
      this.scene.remove(this.model.root);
      this.model.dispose();
    }
    this.model = new RobotModel(scene);
    this.scene.add(this.model.root);
    this.followBody = scene.bodies.findIndex((body) => /torso|trunk|chassis|root/i.test(body.name));
  }

  /** Poses the robot from frame `index` of a packed [frames, bodies * 7] array. */
  showFrame(frames: ArrayLike<number>, index: number): void {
    this.model?.applyFrame(frames, index);
  }

  /** Where a camera should look: the followed body, or the middle of all bodies (in the pose shown). */
  followPoint(out: THREE.Vector3): THREE.Vector3 {
    if (!this.model) return out.set(0, 0, 0);
    if (this.followBody >= 0) return this.model.bodyPosition(this.followBody, out);
    out.set(0, 0, 0);
    for (let i = 0; i < this.model.bodyCount; i++) out.add(this.model.bodyPosition(i, this.scratch));
    return out.divideScalar(Math.max(1, this.model.bodyCount));
  }

  /**
   * Places `camera` (z up) so it sees the robot in every pose of the episode `frames`, and lights
   * the view (the robot is left in its first pose). For `follow` and `side` the poses are measured
   * around the followed point, which the camera then keeps in view with `slide`; for `fixed`, in
   * the world, including the ground the robot covers.
   */
  frameEpisode(frames: ArrayLike<number>, camera: THREE.PerspectiveCamera, style: CameraStyle): View {
    const reach = this.reach(frames, style !== 'fixed');
    const size = reach.getSize(new THREE.Vector3());
    const center = reach.getCenter(new THREE.Vector3());
    const radius = Math.max(0.6, Math.hypot(size.x, size.z) / 2);
    // The narrower of the vertical and horizontal fields of view decides.
    const halfFov = Math.atan(Math.tan(THREE.MathUtils.degToRad(camera.fov / 2)) * Math.min(1, camera.aspect));
    const distance = (radius / Math.tan(halfFov)) * 1.3;
    this.showFrame(frames, 0);
    const anchor = style === 'fixed' ? center : this.followPoint(new THREE.Vector3());
    // Aim a little above the middle: the overlay covers the top of the view.
    const target = new THREE.Vector3(anchor.x, anchor.y, center.z + radius * 0.15);
    if (style === 'side') camera.position.set(target.x, target.y - distance, target.z);
    else camera.position.set(target.x + distance * 0.18, target.y - distance, center.z + distance * 0.22);
    camera.lookAt(target);
    const view = { target, radius };
    this.light(view);
    return view;
  }

  /** Puts the sun's shadow box around a view (several views take turns in a montage). */
  light(view: View): void {
    const { target, radius } = view;
    const shadow = this.sun.shadow.camera;
    const extent = Math.max(2, radius * 2);
    if (shadow.right !== extent) {
      shadow.left = shadow.bottom = -extent;
      shadow.right = shadow.top = extent;
      shadow.near = 0.1;
      shadow.far = 40;
      shadow.updateProjectionMatrix();
    }
    this.sun.position.set(target.x + 3, target.y - 4, 8);
    this.sun.target.position.set(target.x, target.y, 0);
    this.sun.target.updateMatrixWorld();
  }

  /**
   * Moves the view's target and `camera` together a share `rate` (0..1) of the way toward the
   * followed point, along the ground: the robot stays in view and the view's angle never changes.
   * True when they moved.
   */
  slide(camera: THREE.Camera, view: View, rate: number): boolean {
    const goal = this.followPoint(this.scratch);
    // A pose that is not a place (NaN, infinite) is not followed: once in the view, NaN would
    // never leave it (every later step from it is NaN too), and the robot would be lost for good.
    if (!Number.isFinite(goal.x) || !Number.isFinite(goal.y)) return false;
    const dx = (goal.x - view.target.x) * rate;
    const dy = (goal.y - view.target.y) * rate;
    if (Math.abs(dx) + Math.abs(dy) < 1e-5) return false;
    view.target.x += dx;
    view.target.y += dy;
    camera.position.x += dx;
    camera.position.y += dy;
    this.light(view);
    return true;
  }

  dispose(): void {
    this.model?.dispose();
    this.ground.material.map?.dispose();
    this.ground.geometry.dispose();
    this.ground.material.dispose();
  }

  /** The box the robot fills across the episode, in the world or around the followed point (ground included). */
  private reach(frames: ArrayLike<number>, aroundFollowed: boolean): THREE.Box3 {
    const reach = new THREE.Box3();
    if (!this.model) return reach.setFromCenterAndSize(new THREE.Vector3(), new THREE.Vector3(1, 1, 1));
    const frameCount = frames.length / (this.model.bodyCount * FRAME_STRIDE);
    const pose = new THREE.Box3();
    const origin = new THREE.Vector3();
    for (let i = 0; i < FRAMING_SAMPLES; i++) {
      this.model.applyFrame(frames, Math.floor((i * (frameCount - 1)) / (FRAMING_SAMPLES - 1)));
      this.model.root.updateMatrixWorld(true);
      pose.setFromObject(this.model.root);
      if (aroundFollowed) {
        this.followPoint(origin);
        pose.translate(origin.set(-origin.x, -origin.y, 0));
      }
      reach.union(pose);
      // Keep the ground under the robot in view.
      reach.expandByPoint(origin.set(aroundFollowed ? 0 : pose.min.x, aroundFollowed ? 0 : pose.min.y, 0));
    }
    return reach;
  }
}

/**
 * The ground's grid as a repeating texture, one tile per metre: lines drawn as geometry that pass
 * behind the camera are dropped by some software GL implementations, a texture never is.
 */
function gridTexture(palette: WorldPalette): THREE.CanvasTexture {
  const size = 256;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d')!;
  context.fillStyle = palette.ground;
  context.fillRect(0, 0, size, size);
  context.fillStyle = palette.gridMinor;
  for (let i = 1; i < 4; i++) {
    context.fillRect((i * size) / 4, 0, 1, size);
    context.fillRect(0, (i * size) / 4, size, 1);
  }
  context.fillStyle = palette.grid;
  context.fillRect(0, 0, 2, size);
  context.fillRect(0, 0, size, 2);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.wrapS = texture.wrapT = THREE.RepeatWrapping;
  texture.repeat.set(GROUND_SIZE, GROUND_SIZE);
  return texture;
}
