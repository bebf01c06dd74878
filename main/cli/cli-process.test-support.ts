/** Test helpers: the `gaitlab` command as a user runs it (a real process), and what it leaves in a run folder. */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { engineEntry, nodeArgs } from '../../sim/core/engine-entry.ts';

const execFileAsync = promisify(execFile);
/** The CLI from source (tests run the checkout, not its build). */
export const CLI = engineEntry('main/cli/cli.ts');

/** Fast PPO updates on Pendulum-v1: 256 env steps each. */
export const QUICK_PPO = ['--env', 'Pendulum-v1', '--envs', '1', '--set', 'num_steps=256', '--set', 'num_minibatches=4', '--set', 'update_epochs=2'];

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gaitlab ...args` to its end. */
export async function gaitlab(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, nodeArgs(CLI, args), { encoding: 'utf8', maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A `gaitlab ...args` process left running: its output so far and how it ended. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, nodeArgs(CLI, args));
    this.child.stdout.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The run folder it trains, once it has said which (its first line: `run <id> (<dir>) · ...`). */
  async runDir(): Promise<string> {
    for (;;) {
      const dir = /^run \S+ \((.+?)\) · /m.exec(this.stderr)?.[1];
      if (dir) return dir;
      await pause(20);
    }
  }

  /** Resolves once the run's metrics.jsonl holds at least `rows` rows. */
  async metricsRows(rows: number): Promise<void> {
    const file = path.join(await this.runDir(), 'metrics.jsonl');
    while (countLines(file) < rows) await pause(10);
  }

  /** The JSON summary of --json (the last line of stdout). */
  summary(): Record<string, unknown> {
    return JSON.parse(this.stdout.trim().split('\n').pop()!);
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function countLines(file: string): number {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Every file under dir with its bytes, to prove a failed command changed nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = fs.readFileSync(file).toString('base64');
    }
  }
  return out;
}

/** The `step` of each complete row of a run's metrics.jsonl or events.jsonl. */
export function loggedSteps(runDir: string, log: 'metrics' | 'events'): number[] {
  const file = path.join(runDir, `${log}.jsonl`);
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop(); // '' after the last newline, or a torn last row
  return lines.map((line) => (JSON.parse(line) as { step: number }).step);
}

export function runStatus(runDir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { status: string }).status;
}

/** Steps of the run's checkpoint folders, ascending (whole or not). */
export function checkpointFolders(runDir: string): number[] {
  return fs
    .readdirSync(path.join(runDir, 'checkpoints'))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
}
