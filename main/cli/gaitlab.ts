/**
 * The `gaitlab` command line: the same engine as the app, headless.
 * Errors are printed as one clear message with a non-zero exit; nothing on disk is changed by a
 * command that fails validation.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { BACKENDS, type BackendName } from '../config/run-config.ts';
import { nonNegativeInt, positiveInt, positiveNumber } from './option-parsers.ts';
import { CAMERA_STYLES } from '../config/record-request.ts';

// Each command imports what it runs when it runs: `gaitlab --help` and `gaitlab envs` start
// without loading the learners, tfjs, the server or the browser driver.

export class UsageError extends Error {}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const runsOption = () => new Option('--runs <dir>', 'runs folder').default(process.env.GAITLAB_RUNS ?? 'runs');

export function buildProgram(): Command {
  const program = new Command('gaitlab')
    .description('GaitLab: watch reinforcement-learning agents learn to move')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text) });

  program
    .command('train')
    .description('train a new run')
    .requiredOption('--env <id>', 'environment id (see `gaitlab envs`)')
    .option('--algo <id>', 'algorithm id (see `gaitlab algos`)', 'ppo')
    .option('--steps <n>', 'training budget in env steps (default: preset, else 1,000,000)', positiveInt)
    .option('--seed <n>', 'seed', nonNegativeInt, 1)
    .option('--envs <n>', 'parallel environments (num_envs)', positiveInt)
    .option(
      '--workers <k>',
      'threads stepping the envs: the trainer thread and k - 1 workers (0 or 1: the trainer thread alone); at most num_envs',
      nonNegativeInt,
      0,
    )
    .option('--set <key=value>', 'set a hyperparameter (repeatable)', collect, [])
    .option('--preset <file>', 'preset JSON file ({ "hparams": {...}, "totalSteps": N })')
    .addOption(new Option('--backend <name>', 'tensor backend').choices(BACKENDS).default('auto'))
    .option('--checkpoint-every <updates>', 'updates between checkpoints', positiveInt, 10)
    .addOption(
      new Option('--video-every <updates>', "record an evaluation video into the run's videos/ folder every N updates (at the next checkpoint)")
        .argParser(positiveInt)
        .conflicts('videoSchedule'),
    )
    .addOption(
      new Option(
        '--video-schedule <kind>',
        "record videos of training episodes on Gymnasium's capped-cubic schedule (episodes 0, 1, 8, 27, ..., 1000, 2000, ...)",
      ).choices(['capped-cubic']),
    )
    .option('--video-size <WxH>', 'size of the scheduled videos (default 1280x720)')
    .addOption(runsOption())
    .option('--name <name>', 'run name')
    .option('--json', 'print one JSON summary as the last line of stdout')
    .action(async (opts) => {
      const [{ videoScheduleFromFlags }, { parseSetFlag }, { buildRunConfig }, { RunStore }, { labVersions }, { runTraining }] = await Promise.all([
        import('./video-schedule-flags.ts'),
        import('../config/presets.ts'),
        import('../config/build-run-config.ts'),
        import('../store/run-store.ts'),
        import('../lab/versions.ts'),
        import('./train-command.ts'),
      ]);
      const videoSchedule = videoScheduleFromFlags(opts);
      const sets = Object.fromEntries((opts.set as string[]).map(parseSetFlag));
      const config = buildRunConfig({
        env: opts.env,
        algo: opts.algo,
        seed: opts.seed,
        totalSteps: opts.steps,
        numEnvs: opts.envs,
        presetFile: opts.preset,
        hparams: sets,
        backend: opts.backend as BackendName,
        workers: opts.workers,
        checkpointEveryUpdates: opts.checkpointEvery,
      });
      const store = new RunStore(path.resolve(opts.runs));
      store.ensureWritable();
      const run = store.createRun(config, { name: opts.name, versions: labVersions(), videoSchedule });
      await runTraining(run, { json: Boolean(opts.json) });
    });

  program
    .command('resume')
    .argument('<run>', 'run id or folder')
    .description('resume a run from its newest intact checkpoint (recording the videos its schedule asks for)')
    .option('--checkpoint <step>', "resume from this checkpoint instead; the run's later checkpoints, metrics and events are dropped", nonNegativeInt)
    .option('--steps <n>', 'raise the training budget to this many env steps', positiveInt)
    .addOption(runsOption())
    .option('--json', 'print one JSON summary as the last line of stdout')
    .action(async (runId: string, opts) => {
      const [{ RunStore }, { runTraining }] = await Promise.all([import('../store/run-store.ts'), import('./train-command.ts')]);
      const store = new RunStore(path.resolve(opts.runs));
      const run = store.openRun(runId);
      if (run.listCheckpoints().length === 0) throw new UsageError(`run ${run.info.id} has no complete checkpoint to resume from`);
      await runTraining(run, { json: Boolean(opts.json), checkpoint: opts.checkpoint, totalSteps: opts.steps });
    });

  program
    .command('eval')
    .argument('<run>', 'run id or folder')
    .description('evaluate a checkpoint with the deterministic policy')
    .option('--checkpoint <step>', 'checkpoint step (default: latest)', nonNegativeInt)
    .option('--episodes <n>', 'episodes', positiveInt, 10)
    .option('--seed <n>', 'seed of the first evaluation episode', nonNegativeInt, 10_000)
    .addOption(runsOption())
    .option('--json', 'print JSON')
    .action(async (runId: string, opts) => {
      const [{ RunStore }, { runEvaluation }] = await Promise.all([import('../store/run-store.ts'), import('./eval-command.ts')]);
      const store = new RunStore(path.resolve(opts.runs));
      await runEvaluation(store.openRun(runId), opts);
    });

  program
    .command('record')
    .argument('<run>', 'run id or folder')
    .description('render deterministic evaluation episodes (or a stored episode) to a video, in a headless browser')
    .option('--checkpoint <step>', 'checkpoint step (default: latest)', nonNegativeInt)
    .option('--episodes <n>', 'evaluation episodes, one after another', positiveInt, 1)
    .option('--seed <n>', 'seed of the first evaluation episode', nonNegativeInt, 10_000)
    .option('--trajectory <name>', "a stored episode (in the run's trajectories/ folder) instead")
    .option('--montage', 'one episode from the same start per checkpoint, early to late, side by side')
    .option('--out <file>', ".mp4 (H.264) or .webm (VP9) file (default: an .mp4 in the run's videos/ folder)")
    .option('--width <px>', 'frame width', positiveInt, 1280)
    .option('--height <px>', 'frame height', positiveInt, 720)
    .option('--fps <n>', 'frames per second (default: one frame per env step, in real time)', positiveNumber)
    .addOption(new Option('--camera <style>', 'camera').choices(CAMERA_STYLES).default('follow'))
    .addOption(runsOption())
    .option('--json', 'print one JSON summary to stdout')
    .action(async (runId: string, opts) => {
      const [{ RunStore }, { runRecord }] = await Promise.all([import('../store/run-store.ts'), import('./record-command.ts')]);
      const store = new RunStore(path.resolve(opts.runs));
      await runRecord(store.openRun(runId), opts);
    });

  program
    .command('envs')
    .description('list environments')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const { listEnvs } = await import('../../sim/index.ts');
      const envs = listEnvs();
      if (opts.json)
        return console.log(
          JSON.stringify(
            envs.map((e) => ({
              id: e.id,
              description: e.description,
              obs: e.observationSpace.size,
              actions: e.actionSpace.kind === 'box' ? e.actionSpace.size : `discrete(${e.actionSpace.n})`,
              dtSeconds: e.dtSeconds,
              maxEpisodeSteps: e.maxEpisodeSteps,
            })),
          ),
        );
      for (const e of envs) {
        const act = e.actionSpace.kind === 'box' ? `${e.actionSpace.size}-d box` : `${e.actionSpace.n} discrete`;
        console.log(`${e.id.padEnd(26)} obs ${String(e.observationSpace.size).padStart(3)}  act ${act.padEnd(11)}  ${e.description}`);
      }
    });

  program
    .command('algos')
    .description('list algorithms and their hyperparameters')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const { listAlgorithms, liveHparams } = await import('../algos/index.ts');
      const algos = listAlgorithms();
      if (opts.json)
        return console.log(
          JSON.stringify(
            algos.map((a) => ({ id: a.id, title: a.title, description: a.description, live: liveHparams(a), hparams: a.hparamsSchema.toJSONSchema?.() })),
          ),
        );
      for (const a of algos) {
        console.log(`${a.id.padEnd(10)} ${a.description}`);
        for (const [key, field] of Object.entries(a.hparamsSchema.shape)) {
          const f = field as { description?: string; meta(): { live?: boolean } | undefined; parse(v: unknown): unknown };
          console.log(`    ${key.padEnd(18)} ${JSON.stringify(f.parse(undefined)).padEnd(10)} ${f.description ?? ''}${f.meta()?.live ? ' (live)' : ''}`);
        }
      }
    });

  program
    .command('runs')
    .description('list runs in the runs folder')
    .addOption(runsOption())
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const { RunStore } = await import('../store/run-store.ts');
      const runs = new RunStore(path.resolve(opts.runs)).listRuns();
      if (opts.json) return console.log(JSON.stringify(runs));
      for (const r of runs) console.log(`${r.id.padEnd(44)} ${r.status.padEnd(9)} ${r.config.env} ${r.config.algo} ${r.summary?.step ?? 0} steps`);
    });

  program
    .command('sweep')
    .argument('[spec]', 'sweep spec JSON file (see main/sweep/README.md)')
    .description('run a hyperparameter sweep (grid, random, ASHA or PBT); trials are ordinary runs')
    .option('--resume <id>', 'go on with a stopped sweep')
    .option('--queue <url>', 'train the trials on `gaitlab worker`s through Redis (redis://HOST:PORT)')
    .addOption(runsOption())
    .option('--json', 'print one JSON summary as the last line of stdout')
    .action(async (spec: string | undefined, opts) => {
      const { runSweep } = await import('./sweep-command.ts');
      await runSweep(spec, { runs: opts.runs, queue: opts.queue, resume: opts.resume, json: Boolean(opts.json) });
    });

  program
    .command('sweeps')
    .description('list the sweeps in the runs folder')
    .addOption(runsOption())
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const { listSweeps } = await import('./sweep-command.ts');
      listSweeps({ runs: opts.runs, json: Boolean(opts.json) });
    });

  program
    .command('sweep-status')
    .argument('<id>', 'sweep id')
    .description("a sweep's trials, their values, metrics and lineage, and its best trial")
    .addOption(runsOption())
    .option('--json', 'print JSON (sweep.json, the outcome and the decisions)')
    .action(async (id: string, opts) => {
      const { showSweep } = await import('./sweep-command.ts');
      showSweep(id, { runs: opts.runs, json: Boolean(opts.json) });
    });

  program
    .command('worker')
    .description("take sweep trials from a queue and train them here (each in this machine's runs folder)")
    .requiredOption('--queue <url>', 'redis://HOST:PORT')
    .option('--concurrency <n>', 'trials trained at once', positiveInt, 1)
    .option(
      '--lock-duration <ms>',
      "how long a trial's lock lasts unrenewed: another worker takes over a dead worker's trial after about this long",
      positiveInt,
      30_000,
    )
    .addOption(runsOption())
    .action(async (opts) => {
      const [{ RunStore }, { runWorker }] = await Promise.all([import('../store/run-store.ts'), import('../sweep/worker.ts')]);
      await runWorker(new RunStore(path.resolve(opts.runs)), { queue: opts.queue, concurrency: opts.concurrency, lockDurationMs: opts.lockDuration });
    });

  program
    .command('serve')
    .description('serve the app to a browser on 127.0.0.1 (a random token guards it)')
    .option('--port <port>', 'port (0: any free port)', nonNegativeInt, 0)
    .addOption(runsOption())
    .option('--open', 'open the default browser')
    .action(async (opts) => {
      const { serve } = await import('./start-command.ts');
      await serve({ port: opts.port, runs: opts.runs, open: Boolean(opts.open) });
    });

  program
    .command('start')
    .description('the app: Electron where installed, otherwise serve mode in your browser')
    .option('--port <port>', 'port for serve mode (0: any free port)', nonNegativeInt, 0)
    .addOption(runsOption())
    .action(async (opts) => {
      const { start } = await import('./start-command.ts');
      await start({ port: opts.port, runs: opts.runs });
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    console.error(`gaitlab: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
