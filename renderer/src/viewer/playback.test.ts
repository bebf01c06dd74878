import { describe, expect, it } from 'vitest';
import type { TrajectoryMessage } from '../../../main/lab/api.ts';
import { Playback, withChunk } from './playback.ts';

/** An episode of `steps` frames of one body, dt 0.1 s, reward 1 per step. */
const episode = (update: number, steps = 10, deterministic = false): TrajectoryMessage => ({
  envId: 'Test-v0',
  dtSeconds: 0.1,
  numBodies: 1,
  frames: new Array(steps * 7).fill(0),
  rewards: new Array(steps).fill(1),
  update,
  step: update * 100,
  episodeReturn: steps,
  deterministic,
});

describe('Playback', () => {
  it('plays in real time times the speed, whatever the frame rate', () => {
    const playback = new Playback();
    playback.offer(episode(1));
    playback.advance(0.35);
    expect(playback.frameIndex).toBe(3);
    expect(playback.returnSoFar).toBe(3);
    playback.speed = 2;
    playback.advance(0.2);
    expect(playback.frameIndex).toBe(7);
  });

  it('lets a newer training episode wait for the current one, then plays the newest', () => {
    const playback = new Playback();
    playback.offer(episode(1));
    expect(playback.offer(episode(2))).toBe(false);
    expect(playback.offer(episode(3))).toBe(false);
    playback.advance(0.5);
    expect(playback.current?.update).toBe(1);
    expect(playback.advance(2)).toBe(true);
    expect(playback.current?.update).toBe(3);
    expect(playback.frameIndex).toBe(0);
  });

  it('plays an evaluation at once', () => {
    const playback = new Playback();
    playback.offer(episode(1));
    playback.advance(0.3);
    expect(playback.offer(episode(2, 10, true))).toBe(true);
    expect(playback.current?.deterministic).toBe(true);
    expect(playback.frameIndex).toBe(0);
  });

  it('loops the episode when nothing newer came, holds still when paused, and seeks', () => {
    const playback = new Playback();
    playback.offer(episode(1));
    playback.advance(2);
    expect(playback.current?.update).toBe(1);
    expect(playback.frameIndex).toBe(0);
    playback.playing = false;
    expect(playback.advance(0.5)).toBe(false);
    expect(playback.frameIndex).toBe(0);
    playback.seek(6);
    expect(playback.frameIndex).toBe(6);
    expect(playback.returnSoFar).toBe(6);
  });

  it('never runs backwards: a clock that steps back leaves the frame where it was', () => {
    const playback = new Playback();
    playback.offer(episode(1));
    expect(playback.advance(-0.016)).toBe(false);
    expect(playback.frameIndex).toBe(0);
    playback.advance(0.25);
    playback.advance(-0.3);
    expect(playback.frameIndex).toBe(2);
  });

  it('plays a streamed episode as its chunks come: from the frame on screen, waiting on the last one until it is complete', () => {
    const playback = new Playback();
    playback.offer(episode(1));
    const played = (steps: number, complete: boolean) => ({ ...episode(7, steps, true), playId: 3, complete });
    expect(playback.offer(played(4, false))).toBe(true);
    playback.advance(1);
    expect(playback.frameIndex).toBe(3);
    playback.advance(1);
    expect(playback.current?.playId).toBe(3);
    expect(playback.frameIndex).toBe(3);
    // A training episode that comes meanwhile waits for the played one.
    expect(playback.offer(episode(2))).toBe(false);
    expect(playback.offer(played(10, true))).toBe(false);
    expect(playback.frameIndex).toBe(3);
    expect(playback.frameCount).toBe(10);
    playback.advance(0.35);
    expect(playback.frameIndex).toBe(6);
    expect(playback.returnSoFar).toBe(6);
    playback.advance(2);
    expect(playback.current?.update).toBe(2);
  });

  it('joins a played episode from its chunks, and leaves out chunks of an older play', () => {
    const chunk = (playId: number, from: number, steps: number, done: boolean) => ({
      playId,
      envId: 'Test-v0',
      dtSeconds: 0.1,
      numBodies: 1,
      update: 4,
      step: 400,
      done,
      frames: Array.from({ length: steps * 7 }, (_, i) => from * 7 + i),
      rewards: new Array(steps).fill(1),
    });
    let played = withChunk(null, chunk(2, 0, 3, false));
    played = withChunk(played, chunk(2, 3, 4, true));
    expect(played).toMatchObject({ playId: 2, complete: true, episodeReturn: 7, deterministic: true, update: 4 });
    expect(played!.frames).toEqual(Array.from({ length: 49 }, (_, i) => i));
    expect(withChunk(played, chunk(1, 7, 2, true))).toBe(played);
    expect(withChunk(played, chunk(3, 0, 2, false))).toMatchObject({ playId: 3, complete: false, rewards: [1, 1] });
  });
});
