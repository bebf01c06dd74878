import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { haveGymnasiumModels, readFixture, readGymnasiumModel as readModel } from '../fixtures/reference.test-support.ts';
import { loadMjcf } from './index.ts';

const MODELS = haveGymnasiumModels("the loader's comparisons with MuJoCo on Gymnasium's models");

interface Facts {
  timestep: number;
  nq: number;
  nv: number;
  nu: number;
  bodies: { name: string; mass: number; inertia: number[] }[];
  joints: { name: string; type: string; limited: number; range: number[] }[];
  actuators: { joint: string; gear: number; ctrlrange: number[] }[];
}
const facts = readFixture<{ models: Record<string, Facts> }>('mujoco_facts.json').models;

/** |a - b| within 1 % of |b| (or 1e-12 absolute near zero). */
const close = (a: number, b: number) => Math.abs(a - b) <= 0.01 * Math.abs(b) + 1e-12;

beforeAll(async () => {
  await RAPIER.init();
});

describe.skipIf(!MODELS)('loadMjcf on every reference model matches MuJoCo 2.2.2', () => {
  for (const [file, f] of Object.entries(facts)) {
    it(file, () => {
      const model = loadMjcf(readModel(file));
      try {
        expect([model.nq, model.nv, model.nu, model.timestep]).toEqual([f.nq, f.nv, f.nu, f.timestep]);
        expect(model.bodies.map((b) => b.name || '(null)')).toEqual(f.bodies.map((b) => b.name));
        f.bodies.forEach((b, i) => {
          expect(close(model.bodies[i].mass, b.mass), `${b.name} mass ${model.bodies[i].mass} vs ${b.mass}`).toBe(true);
          b.inertia.forEach((moment, k) => expect(close(model.bodies[i].inertia[k], moment), `${b.name} inertia[${k}]`).toBe(true));
        });
        f.joints.forEach((j, i) => {
          const ours = model.joints[i];
          expect([ours.name, ours.type]).toEqual([j.name, j.type]);
          if (j.limited) {
            expect(ours.range, j.name).not.toBeNull();
            ours.range!.forEach((v, k) => expect(close(v, j.range[k]), `${j.name} range`).toBe(true));
          } else {
            expect(ours.range, j.name).toBeNull();
          }
        });
        f.actuators.forEach((a, i) => {
          const ours = model.actuators[i];
          expect(ours.joint).toBe(a.joint);
          expect(close(ours.gear, a.gear)).toBe(true);
          ours.ctrlRange!.forEach((v, k) => expect(close(v, a.ctrlrange[k])).toBe(true));
        });
        expect(model.scene.bodies).toHaveLength(f.bodies.length);
      } finally {
        model.dispose();
      }
    });
  }
});

const wrap = (body: string, head = '') => `<mujoco model="t">${head}<worldbody>${body}</worldbody></mujoco>`;

describe('loadMjcf errors and warnings', () => {
  it('rejects malformed XML with the parser position', () => {
    expect(() => loadMjcf('<mujoco>\n<worldbody>\n<body></worldbody></mujoco>')).toThrow(/MJCF: malformed XML: .*body.*:3/);
  });

  it('reports an unsupported element once, by name', () => {
    const model = loadMjcf(wrap('<body><joint/><geom size="0.1"/></body>', '<tendon/><tendon/><equality/>'));
    expect(model.warnings.filter((w) => w.startsWith('<tendon>'))).toEqual(['<tendon>: unsupported, ignored']);
    expect(model.warnings).toContain('<equality>: unsupported, ignored');
    model.dispose();
  });

  it('reports an unsupported attribute once, including ones set by a default class', () => {
    const model = loadMjcf(wrap('<body><joint/><geom size="0.1"/><geom size="0.1" pos="1 0 0"/></body>', '<default><geom solref="0.02 1"/></default>'));
    expect(model.warnings.filter((w) => w.startsWith('geom@solref'))).toHaveLength(1);
    model.dispose();
  });

  it('names the element and line of a missing required attribute', () => {
    const xml = wrap('<body><joint name="j"/><geom size="0.1"/></body>', '').replace('</mujoco>', '<actuator>\n<motor gear="1"/></actuator></mujoco>');
    expect(() => loadMjcf(xml)).toThrow(/MJCF motor \(line 2\): missing required attribute joint/);
  });

  it('rejects NaN and non-positive sizes, naming the geom', () => {
    expect(() => loadMjcf(wrap('<body><joint/><geom name="g" size="nan"/></body>'))).toThrow(/MJCF geom 'g' \(line 1\): size="nan" must be/);
    expect(() => loadMjcf(wrap('<body><joint/><geom name="g" type="capsule" size="0.1 0"/></body>'))).toThrow(/geom 'g'.*size must be positive/);
  });

  it('rejects a moving body without mass, naming it', () => {
    expect(() => loadMjcf(wrap('<body name="ghost"><joint/><geom size="0.1" mass="0"/></body>'))).toThrow(
      /MJCF body 'ghost' \(line 1\): a moving body needs a positive mass/,
    );
  });

  it('rejects motors on unknown joints and unsupported joint types', () => {
    expect(() => loadMjcf(wrap('<body><joint/><geom size="0.1"/></body>').replace('</mujoco>', '<actuator><motor joint="nope"/></actuator></mujoco>'))).toThrow(
      /joint 'nope' does not exist/,
    );
    expect(() => loadMjcf(wrap('<body><joint type="ball"/><geom size="0.1"/></body>'))).toThrow(/joint type 'ball' is not supported/);
  });
});

describe('MJCF semantics', () => {
  it('resolves nested default classes and childclass', () => {
    const xml = wrap(
      '<body childclass="leg"><joint name="a"/><geom size="0.1"/><body><joint name="b" class="stiff"/><geom size="0.1"/></body></body>',
      '<default><joint damping="1"/><default class="leg"><joint armature="2" range="-10 10"/><default class="stiff"><joint stiffness="5"/></default></default></default>',
    );
    const model = loadMjcf(xml);
    const [a, b] = model.joints;
    expect([a.damping, a.armature, a.stiffness]).toEqual([1, 2, 0]);
    expect([b.damping, b.armature, b.stiffness]).toEqual([1, 2, 5]);
    expect(a.range![1]).toBeCloseTo((10 * Math.PI) / 180, 12); // compiler angle defaults to degrees
    model.dispose();
  });

  it('places bodies by euler (intrinsic xyz), axisangle and w-first quat alike', () => {
    const frames = ['euler="0 0 90"', 'axisangle="0 0 1 90"', 'quat="0.7071068 0 0 0.7071068"'].map((orientation) => {
      const model = loadMjcf(wrap(`<body pos="1 2 3" ${orientation}><freejoint/><geom size="0.1"/><body pos="1 0 0"><geom size="0.1"/></body></body>`));
      const frame = model.frame();
      model.dispose();
      return Array.from(frame.slice(14, 21));
    });
    for (const frame of frames) {
      // the child sits 1 m along the parent's x axis, which the 90 degree turn about z points along +y
      [1, 3, 3, 0, 0, Math.SQRT1_2, Math.SQRT1_2].forEach((v, k) => expect(frame[k]).toBeCloseTo(v, 6));
    }
  });

  it.skipIf(!MODELS)('lays out qpos like MuJoCo: free joint position + w-first quaternion, then hinges', () => {
    const model = loadMjcf(readModel('ant.xml'));
    expect(Array.from(model.qpos()).slice(0, 7)).toEqual([0, 0, 0.75, 1, 0, 0, 0]);
    expect(model.joints[1]).toMatchObject({ name: 'hip_1', qposIndex: 7, qvelIndex: 6 });
    model.dispose();
  });
});
