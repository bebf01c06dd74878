// MuJoCo's own trajectory under uniform random controls, as JSON lines, for bench:fidelity: one line
// per env step with the state before it (qpos, qvel), the control held during its `frame_skip`
// physics steps, and whether the env was just reset (every 1000 env steps, to qpos0).
// Build and run (Debian: apt-get install libmujoco-dev, MuJoCo 2.2.2, the version of mujoco_facts.json):
//   cc -O2 sim/robots/reference/mujoco-trajectory.c -lmujoco -lm -o /tmp/mujoco-trajectory
//   /tmp/mujoco-trajectory ../shared/reference/mjcf/half_cheetah.xml 5 2000 1 > /tmp/half_cheetah.jsonl
// Not part of the build or the tests: it records the reference that bench:fidelity measures against.
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

static void printArray(const char* name, const mjtNum* x, int n) {
  printf("\"%s\": [", name);
  for (int i = 0; i < n; i++) printf(i ? ", %.17g" : "%.17g", x[i]);
  printf("]");
}

int main(int argc, char** argv) {
  if (argc < 4) { fprintf(stderr, "usage: %s model.xml frame_skip steps [seed]\n", argv[0]); return 2; }
  char error[1000];
  mjModel* m = mj_loadXML(argv[1], NULL, error, sizeof error);
  if (!m) { fprintf(stderr, "%s\n", error); return 1; }
  int frameSkip = atoi(argv[2]), steps = atoi(argv[3]);
  if (argc > 4) state += (uint64_t)atoll(argv[4]) * 0x9E3779B97F4A7C15ull;
  mjData* d = mj_makeData(m);
  for (int t = 0; t <= steps; t++) {
    int reset = t % 1000 == 0;
    if (reset) mj_resetData(m, d);
    for (int i = 0; i < m->nu; i++) {
      double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
      d->ctrl[i] = lo + (hi - lo) * uniform();
    }
    printf("{\"reset\": %s, ", reset ? "true" : "false");
    printArray("qpos", d->qpos, m->nq); printf(", ");
    printArray("qvel", d->qvel, m->nv); printf(", ");
    printArray("ctrl", d->ctrl, m->nu); printf("}\n");
    for (int k = 0; k < frameSkip; k++) mj_step(m, d);
  }
  mj_deleteData(d); mj_deleteModel(m);
  return 0;
}
