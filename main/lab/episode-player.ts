/**
 * "Play" for any run and any checkpoint: the Lab's episode player, one background process (see
 * trainer/player-process.ts) that restores a checkpoint and streams its evaluation episode back in
 * chunks, passed on to subscribers as they come. The process is started ahead of the first Play
 * (`warm`), so pressing Play costs a checkpoint load and the first steps, not a process start.
 */
import { fork } from 'node:child_process';
import { z } from 'zod';
import { engineEntry } from '../../sim/core/engine-entry.ts';
import type { RunHandle } from '../store/run-store.ts';
import { episodeChunkSchema, type EpisodeChunk } from '../trainer/episode-stream.ts';
import type { PlayRequest, PlayerMessage } from '../trainer/player-process.ts';
import { tailOf, yieldToUi, type TrainerExit } from './trainer-launcher.ts';

export interface PlayerProcess {
  send(request: PlayRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(): void;
}

export type PlayerLauncher = () => PlayerProcess;

const PLAYER_ENTRY = engineEntry('main/trainer/player-process.ts');

export const forkPlayer: PlayerLauncher = () => {
  const child = fork(PLAYER_ENTRY.file, [], { execArgv: PLAYER_ENTRY.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  // Below the UI, like trainers: a Play never makes the window stutter.
  yieldToUi(child.pid);
  const stderrTail = tailOf(child.stderr, process.stderr);
  return {
    send: (request) => child.send(request),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('close', (code, signal) => listener({ code, signal, stderrTail: stderrTail() })),
    kill: () => child.kill(),
  };
};

/** The seed of played episodes: that of `gaitlab record` and the Lab's videos, so they show the same episode. */
export const PLAY_SEED = 10_000;

/** What a Play answers at once; the episode follows as 'episode' events with this playId. */
export interface PlayStart {
  playId: number;
  checkpoint: number;
}

/** An episode's chunk for a run's viewers, or why its episode could not be played. */
export type PlayerEvent = { runId: string; chunk: EpisodeChunk } | { runId: string; playId: number; error: string };

const playerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('chunk'), chunk: episodeChunkSchema }),
  z.object({ type: z.literal('failed'), playId: z.number().int(), error: z.string() }),
]) satisfies z.ZodType<PlayerMessage>;

export class EpisodePlayer {
  private process: PlayerProcess | null = null;
  private nextId = 1;
  /** The run each play request was for, until its episode is done. */
  private readonly runs = new Map<number, string>();
  private closed = false;

  constructor(
    private readonly launcher: PlayerLauncher,
    private readonly emit: (event: PlayerEvent) => void,
  ) {}

  /** Starts the player process if none runs. */
  warm(): void {
    if (this.process || this.closed) return;
    const player = this.launcher();
    this.process = player;
    player.onMessage((raw) => this.onMessage(raw));
    player.onExit((exit) => {
      if (this.process === player) this.process = null;
      const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
      const error = `the episode player ${how}: ${exit.stderrTail.trim().split('\n').slice(-3).join('\n')}`;
      for (const [playId, runId] of this.runs) this.emit({ runId, playId, error });
      this.runs.clear();
    });
  }

  /** Plays an evaluation episode of the run's checkpoint at `checkpoint` (default: its latest). */
  play(run: RunHandle, checkpoint?: number): PlayStart {
    if (this.closed) throw new Error('the Lab is closing');
    const steps = run.listCheckpoints();
    if (steps.length === 0) throw new Error(`run ${run.info.id} has no complete checkpoint to play yet`);
    const step = checkpoint ?? steps[steps.length - 1];
    if (!steps.includes(step)) throw new Error(`run ${run.info.id} has no checkpoint at step ${step} (kept: ${steps.join(', ')}); pick one of those`);
    this.warm();
    const playId = this.nextId++;
    this.runs.set(playId, run.info.id);
    this.process!.send({ playId, runDir: run.dir, checkpoint: step, seed: PLAY_SEED });
    return { playId, checkpoint: step };
  }

  close(): void {
    this.closed = true;
    this.process?.kill();
  }

  private onMessage(raw: unknown): void {
    const parsed = playerMessageSchema.safeParse(raw);
    if (!parsed.success) return console.warn(`gaitlab: ignoring an invalid message from the episode player: ${parsed.error.message}`);
    const message = parsed.data;
    if (message.type === 'ready') return;
    const playId = message.type === 'chunk' ? message.chunk.playId : message.playId;
    const runId = this.runs.get(playId);
    if (runId === undefined) return;
    if (message.type === 'failed') {
      this.runs.delete(playId);
      this.emit({ runId, playId, error: message.error });
      return;
    }
    // The player skips requests superseded while it was busy: they will never be answered.
    for (const id of this.runs.keys()) if (id < playId) this.runs.delete(id);
    if (message.chunk.done) this.runs.delete(playId);
    this.emit({ runId, chunk: message.chunk });
  }
}
