/**
 * The 3-D stage around a robot: lights with soft shadows, a ground with a grid, and an orbit
 * camera (z up) that follows the torso. It draws only when something changed (a new frame, the
 * camera, the size or the theme), so a paused viewer costs nothing while training runs.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Scene } from '../../../sim/core/scene.ts';
import { cssVar } from '../lib/theme.svelte.ts';
import { RobotModel } from './robot-model.ts';

const GROUND_SIZE = 400;
/** Share of the way the camera closes on its target each drawn frame. */
const FOLLOW_RATE = 0.12;

export class Stage {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly world = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(40, 1, 0.02, 200);
  private readonly controls: OrbitControls;
  private readonly sun = new THREE.DirectionalLight(0xffffff, 2.4);
  private readonly hemisphere = new THREE.HemisphereLight(0xffffff, 0x444444, 1.1);
  private readonly ground: THREE.Mesh<THREE.PlaneGeometry, THREE.MeshStandardMaterial>;
  private grid: THREE.GridHelper | null = null;
  private model: RobotModel | null = null;
  /** The body the camera follows, or -1 for the middle of all bodies. */
  private followBody = -1;
  private readonly followGoal = new THREE.Vector3();
  private readonly scratch = new THREE.Vector3();
  private dirty = true;

  constructor(canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(devicePixelRatio, 2));
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = THREE.PCFSoftShadowMap;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;

    this.camera.up.set(0, 0, 1);
    this.camera.position.set(0, -4, 1.6);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.controls.target.set(0, 0, 0.8);
    this.controls.maxPolarAngle = Math.PI * 0.495;
    this.controls.addEventListener('change', () => (this.dirty = true));

    this.sun.castShadow = true;
    this.sun.shadow.mapSize.set(1024, 1024);
    this.sun.shadow.bias = -0.0005;
    this.sun.shadow.normalBias = 0.02;
    this.world.add(this.sun, this.sun.target, this.hemisphere);

    this.ground = new THREE.Mesh(new THREE.PlaneGeometry(GROUND_SIZE, GROUND_SIZE), new THREE.MeshStandardMaterial({ roughness: 0.95 }));
    this.ground.receiveShadow = true;
    this.world.add(this.ground);
    this.applyTheme();
  }

  /** Re-reads the theme's colors (styles/app.css). */
  applyTheme(): void {
    const background = new THREE.Color(cssVar('--viewer-bg'));
    this.world.background = background;
    this.world.fog = new THREE.Fog(background, 12, 45);
    this.ground.material.color.set(cssVar('--viewer-ground'));
    if (this.grid) {
      this.world.remove(this.grid);
      this.grid.dispose();
    }
    this.grid = new THREE.GridHelper(GROUND_SIZE, GROUND_SIZE, cssVar('--viewer-grid'), cssVar('--viewer-grid-minor'));
    this.grid.rotateX(Math.PI / 2);
    this.grid.position.z = 0.001;
    this.world.add(this.grid);
    this.dirty = true;
  }

  /** Shows a new robot, posed at `frame` of `frames`, and frames the camera on it. */
  setScene(scene: Scene, frames: ArrayLike<number>, frame: number): void {
    if (this.model) {
      this.world.remove(this.model.root);
      this.model.dispose();
    }
    this.model = new RobotModel(scene);
    this.world.add(this.model.root);
    this.followBody = scene.bodies.findIndex((body) => /torso|trunk|chassis|root/i.test(body.name));
    this.model.applyFrame(frames, frame);
    this.frameCamera();
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

  /** Draws if anything changed; true when it drew. */
  render(): boolean {
    this.controls.update();
    this.follow();
    if (!this.dirty) return false;
    this.dirty = false;
    this.renderer.render(this.world, this.camera);
    return true;
  }

  dispose(): void {
    this.model?.dispose();
    this.grid?.dispose();
    this.ground.geometry.dispose();
    this.ground.material.dispose();
    this.controls.dispose();
    this.renderer.dispose();
  }

  /** Places the camera in front of the robot (looking along +y, the side the motion is seen from). */
  private frameCamera(): void {
    if (!this.model) return;
    const box = new THREE.Box3().setFromObject(this.model.root);
    const size = box.getSize(new THREE.Vector3()).length();
    const center = box.getCenter(new THREE.Vector3());
    const distance = Math.max(2.2, size * 1.6);
    this.followPoint(this.followGoal);
    this.controls.target.set(this.followGoal.x, this.followGoal.y, Math.max(0.3, center.z));
    this.camera.position.copy(this.controls.target).add(new THREE.Vector3(0.25, -1, 0.28).normalize().multiplyScalar(distance));
    const reach = Math.max(2, size);
    const shadow = this.sun.shadow.camera;
    shadow.left = shadow.bottom = -reach;
    shadow.right = shadow.top = reach;
    shadow.near = 0.1;
    shadow.far = 40;
    shadow.updateProjectionMatrix();
    this.placeSun();
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
