/**
 * CleanRL's `ppo_continuous_action.py` on Gymnasium's MuJoCo envs: the peer that `bench:peer`
 * measures our PPO against. The peer is set up by hand outside the repository (BENCHMARKS.md says
 * how) and found from `--peer-python` and `--peer-script`, or from `$GAITLAB_PEER`: a folder
 * holding `venv/bin/python` and `ppo_continuous_action.py`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PeerLocation {
  python: string;
  script: string;
}

const HOW = 'give both --peer-python and --peer-script, or set GAITLAB_PEER to a folder holding venv/bin/python and ppo_continuous_action.py';

/** The peer's interpreter and script, or null when none is named; a named one that is not there is an error. */
export function findPeer(options: { python?: string; script?: string }, env: NodeJS.ProcessEnv = process.env): PeerLocation | null {
  let peer: PeerLocation;
  if (options.python !== undefined || options.script !== undefined) {
    if (options.python === undefined || options.script === undefined) throw new Error(`only one of --peer-python and --peer-script was given: ${HOW}`);
    peer = { python: options.python, script: options.script };
  } else if (env.GAITLAB_PEER) {
    peer = { python: path.join(env.GAITLAB_PEER, 'venv', 'bin', 'python'), script: path.join(env.GAITLAB_PEER, 'ppo_continuous_action.py') };
  } else {
    return null;
  }
  for (const file of [peer.python, peer.script]) {
    if (!fs.existsSync(file)) throw new Error(`the CleanRL peer's ${file === peer.python ? 'Python' : 'script'} ${file} does not exist: ${HOW}`);
  }
  return { python: path.resolve(peer.python), script: path.resolve(peer.script) };
}

/** Our robots `X-v0` are Gymnasium's MuJoCo `X-v4`; classic-control envs keep Gymnasium's id. */
export function gymnasiumId(envId: string): string {
  return envId.replace(/-v0$/, '-v4');
}

export interface CleanRlResult {
  env: string;
  steps: number;
  /** CleanRL's own last `SPS:` figure: env steps over the training loop's wall time, like ours. */
  env_steps_per_s: number;
  /** CPU seconds of the training loop (the launcher's measure), and env steps per CPU second. */
  cpu_s: number;
  env_steps_per_cpu_s: number;
  /** The whole process, Python's start and imports included. */
  process_wall_s: number;
  torch_threads: number;
  /** Training episodes as CleanRL prints them (stochastic policy, raw env reward). */
  episodes: Array<{ step: number; return: number }>;
}

// One torch thread however torch was built: the environment variables cover OpenMP and MKL, and
// torch.set_num_threads the intra-op pool; then the script runs unmodified as __main__, with its
// own folder first on the import path as `python script.py` would have it. To measure its CPU time
// as ours is measured (the training loop's, on a machine that other jobs share), the launcher notes
// the process's CPU time at the vector env's first reset (the line after the script starts its SPS
// clock) and prints the CPU time since then after each `SPS:` line.
const ONE_THREAD_LAUNCHER = [
  'import builtins, os, runpy, sys, time, torch, gymnasium',
  'torch.set_num_threads(1)',
  'print("torch_threads:", torch.get_num_threads(), flush=True)',
  'loop_start = []',
  'reset = gymnasium.vector.SyncVectorEnv.reset',
  'def noting_reset(self, *args, **kwargs):',
  '    if not loop_start: loop_start.append(time.process_time())',
  '    return reset(self, *args, **kwargs)',
  'gymnasium.vector.SyncVectorEnv.reset = noting_reset',
  'plain_print = builtins.print',
  'def noting_print(*args, **kwargs):',
  '    plain_print(*args, **kwargs)',
  '    if args and args[0] == "SPS:": plain_print("loop_cpu_s:", time.process_time() - loop_start[0], flush=True)',
  'builtins.print = noting_print',
  'sys.argv = sys.argv[1:]',
  'sys.path.insert(0, os.path.dirname(sys.argv[0]))',
  'runpy.run_path(sys.argv[0], run_name="__main__")',
].join('\n');

/**
 * Parses what the script prints: `SPS: n` after each update, `global_step=s, episodic_return=[r]`
 * per episode, and what the launcher adds: `torch_threads: n`, `loop_cpu_s: t` after each SPS line.
 */
export function parseCleanRlOutput(stdout: string): {
  sps: number[];
  loopCpuSeconds: number[];
  torchThreads: number;
  episodes: Array<{ step: number; return: number }>;
} {
  const sps = [...stdout.matchAll(/^SPS: (\d+)$/gm)].map((m) => Number(m[1]));
  const loopCpuSeconds = [...stdout.matchAll(/^loop_cpu_s: ([\d.eE+-]+)$/gm)].map((m) => Number(m[1]));
  const threads = /^torch_threads: (\d+)$/m.exec(stdout);
  const episodes = [...stdout.matchAll(/^global_step=(\d+), episodic_return=\[?\s*([-\d.eE+]+)\s*\]?$/gm)].map((m) => ({
    step: Number(m[1]),
    return: Number(m[2]),
  }));
  return { sps, loopCpuSeconds, torchThreads: threads ? Number(threads[1]) : NaN, episodes };
}

/** CleanRL's defaults: 1 env x 2048 steps per update. */
export const ROLLOUT = 2048;

/** Runs CleanRL's PPO with its defaults for `steps` env steps (whole rollouts) on one torch thread. */
export async function runCleanRl(peer: PeerLocation, envId: string, steps: number, seed = 1): Promise<CleanRlResult> {
  const env = gymnasiumId(envId);
  // The script writes TensorBoard logs under ./runs: keep them out of the caller's folder.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-cleanrl-'));
  const args = [
    '-c',
    ONE_THREAD_LAUNCHER,
    peer.script,
    '--env-id',
    env,
    '--total-timesteps',
    String(steps),
    '--seed',
    String(seed),
    '--no-track',
    '--no-capture-video',
    '--no-cuda',
  ];
  const started = performance.now();
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(peer.python, args, { cwd, env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONUNBUFFERED: '1' } });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    const processWall = (performance.now() - started) / 1000;
    const parsed = parseCleanRlOutput(stdout);
    if (code !== 0 || parsed.sps.length === 0) {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      throw new Error(`CleanRL on ${env} ${code !== 0 ? `exited with code ${code}` : 'printed no SPS line'}: ${last}`);
    }
    const steps = parsed.sps.length * ROLLOUT;
    const cpu = parsed.loopCpuSeconds.at(-1) ?? NaN;
    return {
      env,
      steps,
      env_steps_per_s: parsed.sps.at(-1)!,
      cpu_s: cpu,
      env_steps_per_cpu_s: steps / cpu,
      process_wall_s: processWall,
      torch_threads: parsed.torchThreads,
      episodes: parsed.episodes,
    };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}
