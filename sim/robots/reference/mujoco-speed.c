// MuJoCo's own env steps per CPU second under bench:sim's protocol (sim/robots/bench-sim.ts):
// uniform random controls resampled every env step of `frame_skip` physics steps, a reset to qpos0
// every 1000 env steps, one thread. CPU time, so that other jobs on a shared machine count less.
// Build and run (Debian: apt-get install libmujoco-dev, MuJoCo 2.2.2):
//   cc -O2 sim/robots/reference/mujoco-speed.c -lmujoco -lm -o /tmp/mujoco-speed
//   /tmp/mujoco-speed ../shared/reference/mjcf/half_cheetah.xml 5 3   # model, frame skip, CPU seconds
// Not part of the build or the tests: it measures MuJoCo beside `npm run bench:sim` in the same load.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <mujoco/mujoco.h>

static uint64_t state = 88172645463325252ull;
static double uniform(void) {
  state ^= state << 13; state ^= state >> 7; state ^= state << 17;
  return (state >> 11) * (1.0 / 9007199254740992.0);
}

static double cpuSeconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Env steps for `seconds` of CPU time; returns env steps per CPU second. */
static double run(const mjModel* m, mjData* d, int frameSkip, double seconds, long* calls) {
  double start = cpuSeconds();
  long n = 0;
  while (cpuSeconds() - start < seconds) {
    for (int k = 0; k < 50; k++, n++) {
      if ((*calls)++ % 1000 == 0) mj_resetData(m, d);
      for (int i = 0; i < m->nu; i++) {
        double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
        d->ctrl[i] = lo + (hi - lo) * uniform();
      }
      for (int s = 0; s < frameSkip; s++) mj_step(m, d);
    }
  }
  return n / (cpuSeconds() - start);
}

int main(int argc, char** argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s model.xml frame_skip [cpu_seconds]\n", argv[0]); return 2; }
  char error[1000];
  mjModel* m = mj_loadXML(argv[1], NULL, error, sizeof error);
  if (!m) { fprintf(stderr, "%s\n", error); return 1; }
  int frameSkip = atoi(argv[2]);
  double seconds = argc > 3 ? atof(argv[3]) : 3;
  mjData* d = mj_makeData(m);
  long calls = 0;
  run(m, d, frameSkip, 0.3, &calls);
  double rate = run(m, d, frameSkip, seconds, &calls);
  printf("{\"model\": \"%s\", \"frame_skip\": %d, \"env_steps_per_cpu_s\": %.0f}\n", argv[1], frameSkip, rate);
  mj_deleteData(d); mj_deleteModel(m);
  return 0;
}
