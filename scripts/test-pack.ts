/**
 * `npm run test:pack`: the package as a user gets it. Packs this repository (`npm pack`, whose
 * prepack and prepare scripts build the UI, the shell and the engine), installs the tarball into an
 * empty temporary folder with `npm install <tarball>` (from the npm registry), and runs the
 * installed `gaitlab` there with no file of the repository beside it: `envs`, `train` (on the
 * trainer thread, then with env worker threads), and `serve` (its page, a run trained by a
 * trainer process through the Lab's socket, and, where there is a browser to render in, a video of
 * it recorded by a recorder process). Ends at the first failure, saying what failed.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { PACKAGE_ROOT } from '../sim/core/engine-entry.ts';

const started = Date.now();
const log = (line: string) => console.log(`[test:pack ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

function fail(message: string): never {
  console.error(`test:pack failed: ${message}`);
  process.exit(1);
}

// npm and npx are .cmd scripts on Windows, which only a shell runs.
const shell = process.platform === 'win32';

/** Runs a command to its end; its output is returned, and shown when it fails. */
function run(command: string, args: string[], options: SpawnSyncOptions): string {
  const result = spawnSync(command, args, { encoding: 'utf8', shell, ...options, env: cleanEnv() });
  if (result.status !== 0) {
    fail(`\`${command} ${args.join(' ')}\` exited with ${result.status ?? result.signal}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
  return String(result.stdout ?? '');
}

/** This environment without what would point the installed package back at the repository. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['NODE_OPTIONS', 'NODE_PATH', 'GAITLAB_RUNS']) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
  return env;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-pack-'));
const user = path.join(work, 'user');
fs.mkdirSync(user);

try {
  log('npm pack (builds the UI, the shell and the engine)');
  run('npm', ['pack', '--pack-destination', work], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = path.join(work, fs.readdirSync(work).find((name) => name.endsWith('.tgz')) ?? fail('npm pack made no .tgz'));
  const files = run('tar', ['-tzf', tarball], {})
    .split('\n')
    .filter(Boolean)
    .map((name) => name.replace(/^package\//, ''));
  for (const needed of [
    'bin/gaitlab.js',
    'out/engine/cli.js',
    'out/engine/trainer-process.js',
    'out/engine/record-process.js',
    'out/engine/vec-env-worker.js',
    'out/main/index.js',
    'renderer/dist/index.html',
    'renderer/dist/record.html',
    'assets/robots/ant.xml',
    'assets/presets/ppo/Pendulum-v1.json',
  ]) {
    if (!files.includes(needed)) fail(`the tarball has no ${needed}`);
  }
  const source = files.filter((name) => /\.(ts|svelte)$/.test(name));
  if (source.length > 0) fail(`the tarball ships source files: ${source.slice(0, 5).join(', ')}`);
  log(`${path.basename(tarball)}: ${files.length} files, ${(fs.statSync(tarball).size / 1e6).toFixed(1)} MB`);

  log('npm install <tarball> into an empty folder');
  fs.writeFileSync(path.join(user, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', tarball, '--no-audit', '--no-fund'], { cwd: user, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const devOnly of ['tsx', 'esbuild', 'vite', 'svelte', 'typescript']) {
    if (fs.existsSync(path.join(user, 'node_modules', devOnly))) fail(`installing the package installed ${devOnly}, a development dependency`);
  }

  const gaitlab = (args: string[]) => run('npx', ['--no', 'gaitlab', ...args], { cwd: user });

  log('npx gaitlab envs');
  const envs = gaitlab(['envs']);
  for (const id of ['Pendulum-v1', 'Ant-v0', 'Humanoid-v0']) if (!envs.includes(id)) fail(`gaitlab envs does not list ${id}:\n${envs}`);

  log('npx gaitlab train --env Pendulum-v1 --steps 4096');
  const trained = JSON.parse(gaitlab(['train', '--env', 'Pendulum-v1', '--steps', '4096', '--json']).trim().split('\n').at(-1)!) as {
    step: number;
    status: string;
  };
  if (trained.step < 4096 || trained.status !== 'finished') fail(`gaitlab train ended at step ${trained.step}, status ${trained.status}`);

  log('npx gaitlab train --env Hopper-v0 --steps 2048 --envs 2 --workers 2 (a worker thread, a robot)');
  const threaded = JSON.parse(
    gaitlab(['train', '--env', 'Hopper-v0', '--steps', '2048', '--envs', '2', '--workers', '2', '--json']).trim().split('\n').at(-1)!,
  ) as { step: number; status: string };
  if (threaded.step < 2048 || threaded.status !== 'finished') fail(`gaitlab train --workers 2 ended at step ${threaded.step}, status ${threaded.status}`);

  log('npx gaitlab serve --port 0');
  await checkServe();
  log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

/** Starts `gaitlab serve`, loads its page, trains and records a run through its socket, then stops it with SIGTERM. */
async function checkServe(): Promise<void> {
  // A process group of its own, so that SIGTERM reaches the server itself: npx passing it on through
  // its shell was a race (the server outlived npx once, holding this script's pipes open).
  const server = spawn('npx', ['--no', 'gaitlab', 'serve', '--port', '0'], {
    cwd: user,
    shell,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
  const serverStopped = new Promise<void>((resolve) => server.stdout.on('close', resolve));
  const address = await new Promise<URL>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /GaitLab is running at (\S+)/.exec(output);
      if (found) resolve(new URL(found[1]));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`gaitlab serve exited with ${code} before printing its address:\n${output}`)));
  }).catch((error: Error) => fail(error.message));

  const page = await fetch(address);
  const html = await page.text();
  if (page.status !== 200 || !html.includes('<html')) fail(`GET ${address.href} answered ${page.status}:\n${html.slice(0, 300)}`);

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const record = fs.existsSync(chromium);
  if (!record) log(`no browser at ${chromium} (set CHROMIUM_PATH): the recorder process is not checked`);
  const { run, video } = await trainThroughSocket(address, record);
  if (run !== 'finished') fail(`the run created through serve mode's socket ended ${run}\n${output}`);
  if (record && video !== 'done') fail(`the video recorded through serve mode's socket ended ${video}\n${output}`);

  if (process.platform === 'win32') server.kill('SIGTERM');
  else process.kill(-server.pid!, 'SIGTERM');
  const code = await exited;
  // npx ends on the signal (code null) or passes on the server's own exit, 0.
  if (code !== 0 && code !== null) fail(`gaitlab serve exited with ${code} on SIGTERM:\n${output}`);
  await serverStopped; // the server itself is gone once its end of the pipe closes
}

/**
 * Through the Lab's socket: createRun (Pendulum, 2048 steps, in a trainer process), then when it
 * is finished and `record` is set, recordVideo of its latest checkpoint (in a recorder process, on
 * the package's record page). Resolves with the status each ended in.
 */
function trainThroughSocket(address: URL, record: boolean): Promise<{ run: string; video?: string }> {
  const socket = new WebSocket(`ws://${address.host}/lab?token=${address.searchParams.get('token')}`, { origin: address.origin });
  const call = (id: number, method: string, args: unknown[]) => socket.send(JSON.stringify({ id, method, args }));
  return new Promise((resolve, reject) => {
    let runId = '';
    let runStatus = '';
    const done = (result: { run: string; video?: string }) => {
      socket.close();
      resolve(result);
    };
    socket.on('error', reject);
    socket.on('open', () => call(1, 'createRun', [{ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 2048, hparams: {} }]));
    socket.on('message', (data: Buffer) => {
      type Frame = {
        kind: string;
        id?: number;
        ok?: boolean;
        error?: string;
        value?: { id: string };
        event?: { type: string; run?: { id: string; status: string }; job?: { runId: string; status: string; message?: string } };
      };
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.kind === 'reply' && !frame.ok) reject(new Error(`call ${frame.id} failed: ${frame.error}`));
      if (frame.kind === 'reply' && frame.id === 1) runId = frame.value!.id;
      const event = frame.kind === 'event' ? frame.event : undefined;
      if (event?.type === 'run' && event.run!.id === runId && !runStatus && ['finished', 'failed', 'stopped'].includes(event.run!.status)) {
        runStatus = event.run!.status;
        if (runStatus === 'finished' && record) call(2, 'recordVideo', [runId, { width: 320, height: 180 }]);
        else done({ run: runStatus });
      }
      if (event?.type === 'video' && event.job!.runId === runId && ['done', 'failed', 'cancelled'].includes(event.job!.status)) {
        done({ run: runStatus, video: event.job!.status === 'done' ? 'done' : `${event.job!.status}: ${event.job!.message}` });
      }
    });
  });
}
