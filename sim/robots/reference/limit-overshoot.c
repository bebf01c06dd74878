// How far MuJoCo itself lets hinge and slide joints pass their limits under uniform random
// controls: env steps of `frame_skip` physics steps, a reset to qpos0 every 1000 env steps, and
// joints that start outside their range skipped for 1 s after each reset (as sim/robots/physics.test.ts).
// Build and run (Debian: apt-get install libmujoco-dev, MuJoCo 2.2.2, the version of mujoco_facts.json):
//   cc -O2 sim/robots/reference/limit-overshoot.c -lmujoco -lm -o /tmp/limit-overshoot
//   /tmp/limit-overshoot ../shared/reference/mjcf/ant.xml 5 10000 1   # model, frame skip, env steps, seed
// Not part of the build or the tests: it measures the reference that physics.test.ts's tolerances are set against.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <mujoco/mujoco.h>

static uint64_t state = 88172645463325252ull;
static double uniform(void) {
  state ^= state << 13; state ^= state >> 7; state ^= state << 17;
  return (state >> 11) * (1.0 / 9007199254740992.0);
}

int main(int argc, char** argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s model.xml frame_skip steps [seed]\n", argv[0]); return 2; }
  char error[1000];
  mjModel* m = mj_loadXML(argv[1], NULL, error, sizeof error);
  if (!m) { fprintf(stderr, "%s\n", error); return 1; }
  int frameSkip = atoi(argv[2]), steps = atoi(argv[3]);
  if (argc > 4) state += (uint64_t)atoll(argv[4]) * 0x9E3779B97F4A7C15ull;
  mjData* d = mj_makeData(m);
  int settle = (int)ceil(1.0 / (m->opt.timestep * frameSkip));
  double worst = 0; int worstJoint = -1, worstStep = -1;
  for (int t = 0; t < steps; t++) {
    if (t % 1000 == 0) mj_resetData(m, d);
    for (int i = 0; i < m->nu; i++) {
      double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
      d->ctrl[i] = lo + (hi - lo) * uniform();
    }
    for (int k = 0; k < frameSkip; k++) mj_step(m, d);
    for (int j = 0; j < m->njnt; j++) {
      int type = m->jnt_type[j];
      if (!m->jnt_limited[j] || (type != mjJNT_HINGE && type != mjJNT_SLIDE)) continue;
      double lo = m->jnt_range[2 * j], hi = m->jnt_range[2 * j + 1];
      double q0 = m->qpos0[m->jnt_qposadr[j]], q = d->qpos[m->jnt_qposadr[j]];
      if ((q0 < lo || q0 > hi) && t % 1000 < settle) continue;
      double excess = fmax(lo - q, q - hi);
      if (excess > worst) { worst = excess; worstJoint = j; worstStep = t + 1; }
    }
  }
  printf("{\"model\": \"%s\", \"frame_skip\": %d, \"steps\": %d, \"worst_excess\": %.4f, \"joint\": \"%s\", \"step\": %d}\n",
         argv[1], frameSkip, steps, worst, worstJoint >= 0 ? mj_id2name(m, mjOBJ_JOINT, worstJoint) : "", worstStep);
  mj_deleteData(d); mj_deleteModel(m);
  return 0;
}
