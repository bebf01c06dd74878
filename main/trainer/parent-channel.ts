/**
 * A trainer process's channel to the Lab that started it. Two promises the Lab relies on:
 * - Live means live: metrics, status and events go out at once, in order, and are never queued
 *   behind replay data. Episodes are large (a Hopper episode is ~0.5 MB of JSON) and the pipe only
 *   drains between updates, so at most one episode is ever in flight: while one is, a newer one
 *   replaces the one waiting (coalescing to the latest; the viewer only wants the newest), so the
 *   trainer's memory does not grow with the number of episodes however slowly the Lab reads.
 * - Nothing is lost at the end: `drained()` resolves once every message has been handed to the OS,
 *   so the final status reaches the Lab even when the process exits right after.
 * A parent that is gone (the channel closed, a send failed with EPIPE) is reported once through
 * `onDisconnect`; later sends are dropped, never thrown.
 */
import type { TrainerMessage } from './protocol.ts';

/** The raw link: Node's IPC channel (`process.send`) or Electron's `process.parentPort`. */
export interface ParentLink {
  /** `done` is called once the message has left this process, with an error if it cannot. */
  post(message: TrainerMessage, done: (error: Error | null) => void): void;
  onMessage(handler: (message: unknown) => void): void;
  onClose(handler: () => void): void;
}

type TrajectoryMessage = Extract<TrainerMessage, { type: 'trajectory' }>;

export class ParentChannel {
  private inFlight = 0;
  private episodeInFlight = false;
  private waitingEpisode: TrajectoryMessage | null = null;
  private closed = false;
  private readonly disconnectHandlers: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];

  constructor(private readonly link: ParentLink) {
    link.onClose(() => this.close());
  }

  /** Whether the parent is gone. */
  get disconnected(): boolean {
    return this.closed;
  }

  send(message: TrainerMessage): void {
    if (this.closed) return;
    if (message.type !== 'trajectory') return this.post(message);
    if (!this.episodeInFlight) {
      this.episodeInFlight = true;
      return this.post(message);
    }
    // An evaluation was asked for: a training episode does not replace it.
    if (this.waitingEpisode?.trajectory.deterministic && !message.trajectory.deterministic) return;
    this.waitingEpisode = message;
  }

  onMessage(handler: (message: unknown) => void): void {
    this.link.onMessage(handler);
  }

  /** Called once when the parent is gone; at once if it already is. */
  onDisconnect(handler: () => void): void {
    if (this.closed) handler();
    else this.disconnectHandlers.push(handler);
  }

  /** Resolves when nothing is left to send (or the parent is gone and nothing can be). */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Lets the parent read what was sent, until nothing is left or `patienceMs` has passed. The pipe
   * only drains while this process's event loop runs, and an update holds it for a second or more:
   * without this pause between updates, a large episode would take several updates to leave and
   * hold up the metrics behind it. A parent too busy to read costs at most `patienceMs` per update.
   */
  letParentRead(patienceMs: number): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.drainWaiters = this.drainWaiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, patienceMs);
      this.drainWaiters.push(done);
    });
  }

  private post(message: TrainerMessage): void {
    this.inFlight++;
    try {
      this.link.post(message, (error) => this.sent(message, error));
    } catch (error) {
      this.sent(message, error as Error);
    }
  }

  private sent(message: TrainerMessage, error: Error | null): void {
    this.inFlight--;
    if (error) this.close();
    if (message.type === 'trajectory') {
      this.episodeInFlight = false;
      const next = this.waitingEpisode;
      this.waitingEpisode = null;
      if (next) this.send(next);
    }
    this.notifyDrained();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.waitingEpisode = null;
    for (const handler of this.disconnectHandlers.splice(0)) handler();
    this.notifyDrained();
  }

  private isDrained(): boolean {
    return this.closed || (this.inFlight === 0 && this.waitingEpisode === null);
  }

  private notifyDrained(): void {
    if (!this.isDrained()) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}

/** Electron's utilityProcess exposes process.parentPort; a Node fork has process.send. */
export function parentLink(): ParentLink {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', h: (e: { data: unknown }) => void): void } })
    .parentPort;
  if (parentPort) {
    return {
      // Electron queues the message itself and reports no delivery; its trainers die with the app.
      post: (message, done) => {
        parentPort.postMessage(message);
        done(null);
      },
      onMessage: (handler) => parentPort.on('message', (event) => handler(event.data)),
      onClose: () => {},
    };
  }
  if (process.send) {
    return {
      post: (message, done) => {
        if (!process.connected) return done(new Error('the IPC channel is closed'));
        process.send!(message, undefined, undefined, (error: Error | null) => done(error));
      },
      onMessage: (handler) => process.on('message', handler),
      onClose: (handler) => process.once('disconnect', handler),
    };
  }
  throw new Error('trainer-process must be started by the Lab (no parent channel)');
}
