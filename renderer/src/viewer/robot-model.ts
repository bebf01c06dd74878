/**
 * three.js meshes for a sim `Scene`: one group per body, posed each frame from the packed
 * (x, y, z, qx, qy, qz, qw) body poses; geoms sit at their fixed offsets inside the group.
 * Everything stays in the scene's z-up world (the camera is z-up too).
 */
import * as THREE from 'three';
import { FRAME_STRIDE, type Scene, type SceneGeom } from '../../../sim/core/scene.ts';

export class RobotModel {
  readonly root = new THREE.Group();
  private readonly bodies: THREE.Group[];
  private readonly disposables: { dispose(): void }[] = [];
  private readonly materials = new Map<string, THREE.MeshStandardMaterial>();

  constructor(readonly scene: Scene) {
    this.bodies = scene.bodies.map((body) => {
      const group = new THREE.Group();
      group.name = body.name;
      for (const geom of body.geoms) {
        const mesh = this.mesh(geom);
        if (mesh) group.add(mesh);
      }
      this.root.add(group);
      return group;
    });
  }

  get bodyCount(): number {
    return this.bodies.length;
  }

  /** Poses every body from frame `index` of a packed [frames, bodies * 7] array. */
  applyFrame(frames: ArrayLike<number>, index: number): void {
    const base = index * this.bodies.length * FRAME_STRIDE;
    this.bodies.forEach((body, i) => {
      const o = base + i * FRAME_STRIDE;
      body.position.set(frames[o], frames[o + 1], frames[o + 2]);
      // three.js composes a body's matrix assuming a unit quaternion: one of any other length
      // would scale the body's meshes by its squared length (float32 frames drift off unit length).
      body.quaternion.set(frames[o + 3], frames[o + 4], frames[o + 5], frames[o + 6]).normalize();
    });
  }

  bodyPosition(index: number, out: THREE.Vector3): THREE.Vector3 {
    return out.copy(this.bodies[index].position);
  }

  dispose(): void {
    for (const item of this.disposables) item.dispose();
    for (const material of this.materials.values()) material.dispose();
  }

  /** Planes are the floor, which the stage draws for every scene. */
  private mesh(geom: SceneGeom): THREE.Mesh | null {
    const geometry = shape(geom);
    if (!geometry) return null;
    this.disposables.push(geometry);
    const mesh = new THREE.Mesh(geometry, this.material(geom.rgba));
    mesh.position.set(...geom.pos);
    mesh.quaternion.set(...geom.quat);
    if (geom.type === 'ellipsoid') mesh.scale.set(geom.size[0], geom.size[1], geom.size[2]);
    mesh.castShadow = true;
    mesh.receiveShadow = true;
    return mesh;
  }

  private material([r, g, b, a]: SceneGeom['rgba']): THREE.MeshStandardMaterial {
    const key = `${r},${g},${b},${a}`;
    let material = this.materials.get(key);
    if (!material) {
      // Scene colors are given like MuJoCo's rgba, in display (sRGB) space.
      material = new THREE.MeshStandardMaterial({
        color: new THREE.Color().setRGB(r, g, b, THREE.SRGBColorSpace),
        roughness: 0.55,
        metalness: 0.05,
        transparent: a < 1,
        opacity: a,
      });
      this.materials.set(key, material);
    }
    return material;
  }
}

/** MuJoCo's capsules and cylinders run along z; three.js builds them along y. */
function shape(geom: SceneGeom): THREE.BufferGeometry | null {
  const [a, b = a, c = a] = geom.size;
  switch (geom.type) {
    case 'sphere':
      return new THREE.SphereGeometry(a, 32, 16);
    case 'ellipsoid':
      return new THREE.SphereGeometry(1, 32, 16);
    case 'capsule':
      return new THREE.CapsuleGeometry(a, 2 * b, 8, 24).rotateX(Math.PI / 2);
    case 'cylinder':
      return new THREE.CylinderGeometry(a, a, 2 * b, 32).rotateX(Math.PI / 2);
    case 'box':
      return new THREE.BoxGeometry(2 * a, 2 * b, 2 * c);
    case 'plane':
      return null;
  }
}
