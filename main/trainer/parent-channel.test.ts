/** The trainer's channel to the Lab: episodes never pile up behind a slow reader, and nothing is lost at the end. */
import { describe, expect, it, vi } from 'vitest';
import type { TrajectoryMessage } from '../store/trajectory-file.ts';
import type { TrainerMessage } from './protocol.ts';
import { ParentChannel, type ParentLink } from './parent-channel.ts';

/** A link whose reader the test drives: each post stays in flight until `deliver` hands it over. */
class SlowLink implements ParentLink {
  readonly inFlight: { message: TrainerMessage; done: (error: Error | null) => void }[] = [];
  readonly delivered: TrainerMessage[] = [];
  private closeHandler = () => {};

  post(message: TrainerMessage, done: (error: Error | null) => void): void {
    this.inFlight.push({ message, done });
  }
  onMessage(): void {}
  onClose(handler: () => void): void {
    this.closeHandler = handler;
  }
  /** The reader takes everything in flight. */
  deliver(): void {
    for (const { message, done } of this.inFlight.splice(0)) {
      this.delivered.push(message);
      done(null);
    }
  }
  fail(error: Error): void {
    for (const { done } of this.inFlight.splice(0)) done(error);
  }
  close(): void {
    this.closeHandler();
  }
  get episodesInFlight(): number {
    return this.inFlight.filter(({ message }) => message.type === 'trajectory').length;
  }
}

const episode = (update: number, deterministic = false): TrainerMessage => ({
  type: 'trajectory',
  trajectory: {
    envId: 'Hopper-v0',
    dtSeconds: 0.008,
    numBodies: 1,
    frames: new Array(7).fill(update),
    rewards: [1],
    update,
    step: update * 100,
    episodeReturn: 1,
    deterministic,
  } satisfies TrajectoryMessage,
});
const metrics = (update: number): TrainerMessage => ({ type: 'metrics', row: { update, step: update * 100 } });
const updatesOf = (messages: TrainerMessage[], type: TrainerMessage['type']) =>
  messages.filter((m) => m.type === type).map((m) => (m.type === 'metrics' ? m.row.update : m.type === 'trajectory' ? m.trajectory.update : null));

describe('ParentChannel', () => {
  it('keeps at most one episode in flight and one waiting, whatever the number sent to a reader that does not read', () => {
    const link = new SlowLink();
    const channel = new ParentChannel(link);
    for (let update = 1; update <= 1000; update++) {
      channel.send(episode(update));
      channel.send(metrics(update));
      expect(link.episodesInFlight).toBeLessThanOrEqual(1);
    }
    // Every metrics row went out at once, in order; of 1000 episodes only the first is out.
    expect(link.inFlight).toHaveLength(1 + 1000);
    link.deliver(); // the reader catches up: the newest episode follows, the 998 between are dropped
    link.deliver();
    expect(updatesOf(link.delivered, 'metrics')).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(updatesOf(link.delivered, 'trajectory')).toEqual([1, 1000]);
  });

  it('does not let a training episode replace an evaluation that waits', () => {
    const link = new SlowLink();
    const channel = new ParentChannel(link);
    channel.send(episode(1));
    channel.send(episode(2, true));
    channel.send(episode(3));
    link.deliver();
    link.deliver();
    expect(link.delivered.map((m) => m.type === 'trajectory' && m.trajectory.update)).toEqual([1, 2]);
  });

  it('is drained only once every message has left, the waiting episode too', async () => {
    const link = new SlowLink();
    const channel = new ParentChannel(link);
    channel.send(episode(1));
    channel.send(episode(2));
    channel.send({ type: 'status', status: 'finished', step: 200 });
    let drained = false;
    const done = channel.drained().then(() => (drained = true));
    link.deliver();
    await Promise.resolve();
    expect(drained).toBe(false); // episode 2 went out when episode 1 left
    link.deliver();
    await done;
    expect(link.delivered.map((m) => m.type)).toEqual(['trajectory', 'status', 'trajectory']);
  });

  it('reports a lost parent once (closed channel or failed send) and drops later sends without throwing', async () => {
    for (const lose of [(link: SlowLink) => link.close(), (link: SlowLink) => link.fail(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))]) {
      const link = new SlowLink();
      const channel = new ParentChannel(link);
      let disconnects = 0;
      channel.onDisconnect(() => disconnects++);
      channel.send(metrics(1));
      lose(link);
      lose(link);
      const posted = link.inFlight.length;
      expect(() => channel.send(metrics(2))).not.toThrow();
      expect(link.inFlight).toHaveLength(posted);
      await channel.drained();
      expect(disconnects).toBe(1);
      expect(channel.disconnected).toBe(true);
      channel.onDisconnect(() => disconnects++); // too late to miss it
      expect(disconnects).toBe(2);
    }
  });

  it('gives the parent time to read between updates, but no more than its patience', async () => {
    vi.useFakeTimers();
    try {
      const link = new SlowLink();
      const channel = new ParentChannel(link);
      channel.send(episode(1));
      let read = false;
      const reading = channel.letParentRead(100).then(() => (read = true));
      await vi.advanceTimersByTimeAsync(50);
      expect(read).toBe(false);
      link.deliver();
      await reading; // as soon as the parent read it, before the 100 ms
      channel.send(episode(2));
      const ignored = channel.letParentRead(100);
      await vi.advanceTimersByTimeAsync(100);
      await ignored; // a parent that does not read costs 100 ms, then training goes on
      expect(link.episodesInFlight).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
