/**
 * `npm run bench:peer -- [--env HalfCheetah-v0 Hopper-v0] [--steps 20480] [--rounds 1]
 *   [--peer-python P --peer-script S] [--json]`
 * End to end against the peer users know: our PPO and CleanRL's `ppo_continuous_action.py`
 * (PyTorch, Gymnasium's MuJoCo `-v4` envs), both with CleanRL's defaults, one thread each, the same
 * env steps, back to back per env and in alternating order per round so that both see the same
 * load. Prints env-steps/s of each, their ratio, and the 1-minute load average around each run.
 * Without a peer (see cleanrl-peer.ts) it says so in one line and measures ours alone.
 */
import os from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { positiveInt } from '../cli/option-parsers.ts';
import { findPeer, ROLLOUT, runCleanRl, type CleanRlResult, type PeerLocation } from './cleanrl-peer.ts';
import { measurePpoThroughput, type PpoThroughput } from './ppo-throughput.ts';

function wholeRollouts(value: string): number {
  const n = positiveInt(value);
  if (n % ROLLOUT !== 0) throw new InvalidArgumentError(`expected a multiple of ${ROLLOUT}, got "${value}"`);
  return n;
}

const program = new Command('bench:peer')
  .option('--env <id...>', "our environments (CleanRL runs Gymnasium's -v4 of each robot)", ['HalfCheetah-v0', 'Hopper-v0'])
  .option('--steps <n>', `env steps per run, a multiple of ${ROLLOUT} (CleanRL's rollout: both sides train whole rollouts)`, wholeRollouts, 10 * ROLLOUT)
  .option('--rounds <n>', 'runs of each side per env, alternating which goes first', positiveInt, 1)
  .option('--peer-python <file>', "the peer's Python, with torch, gymnasium, mujoco and tensorboard (BENCHMARKS.md: End to end against CleanRL)")
  .option('--peer-script <file>', "CleanRL's ppo_continuous_action.py")
  .option('--json', 'JSON only');
program.parse(process.argv);
const opts = program.opts();

let peer: PeerLocation | null = null;
try {
  peer = findPeer({ python: opts.peerPython, script: opts.peerScript });
} catch (error) {
  program.error(`error: ${(error as Error).message}`);
}
if (!peer) console.error('no CleanRL peer (--peer-python/--peer-script or GAITLAB_PEER): measuring ours alone');

const load = () => Number(os.loadavg()[0].toFixed(2));
async function measured<T>(work: () => Promise<T>): Promise<T & { load_avg_1m: { before: number; after: number } }> {
  const before = load();
  const result = await work();
  return { ...result, load_avg_1m: { before, after: load() } };
}
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[Math.floor(middle)];
}

const envs: Record<string, unknown> = {};
for (const env of opts.env as string[]) {
  const ours: PpoThroughput[] = [];
  const cleanrl: CleanRlResult[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const runOurs = async () => ours.push(await measured(() => measurePpoThroughput(env, opts.steps)));
    const runPeer = async () => {
      if (peer) cleanrl.push(await measured(() => runCleanRl(peer, env, opts.steps)));
    };
    for (const side of round % 2 === 0 ? [runOurs, runPeer] : [runPeer, runOurs]) await side();
    if (!opts.json)
      console.error(
        env,
        `round ${round + 1}, env-steps/s (per CPU second):`,
        JSON.stringify({
          ours: [ours.at(-1)?.env_steps_per_s, ours.at(-1)?.env_steps_per_cpu_s],
          cleanrl: [cleanrl.at(-1)?.env_steps_per_s, cleanrl.at(-1)?.env_steps_per_cpu_s],
        }),
      );
  }
  const oursRate = median(ours.map((r) => r.env_steps_per_s));
  const peerRate = peer ? median(cleanrl.map((r) => r.env_steps_per_s)) : null;
  const oursCpuRate = median(ours.map((r) => r.env_steps_per_cpu_s));
  const peerCpuRate = peer ? median(cleanrl.map((r) => r.env_steps_per_cpu_s)) : null;
  envs[env] = {
    ours_env_steps_per_s: oursRate,
    cleanrl_env_steps_per_s: peerRate,
    ratio: peerRate ? oursRate / peerRate : null,
    // Per CPU second of each process: steadier than wall-clock rates while other jobs share the cores.
    ours_env_steps_per_cpu_s: oursCpuRate,
    cleanrl_env_steps_per_cpu_s: peerCpuRate,
    cpu_ratio: peerCpuRate ? oursCpuRate / peerCpuRate : null,
    ours,
    cleanrl: peer
      ? cleanrl.map(({ episodes, ...rest }) => ({ ...rest, episodes: episodes.length, return_mean: mean(episodes.slice(-20).map((e) => e.return)) }))
      : null,
  };
}
console.log(JSON.stringify({ settings: 'CleanRL ppo_continuous_action defaults, one thread each', steps: opts.steps, peer, cpus: os.cpus().length, envs }));

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}
