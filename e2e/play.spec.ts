/**
 * Finished runs can be watched: Play (`play-checkpoint`) evaluates the chosen checkpoint in the
 * Lab's background player and streams the episode into the viewer, whose first frame is drawn
 * within 2 s of the click (both times on the page's own clock); the picker offers exactly the
 * checkpoints on disk, newest first; run-status says finished or stopped as run.json does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, keepScreenshot, robotPixelShare, startRunFromUi, test, type ServedLab } from './fixtures.ts';

/** The bound: from the click on Play to the first frame of the episode drawn. */
const PLAY_WITHIN_MS = 2000;

function checkpointsOnDisk(lab: ServedLab, runId: string): number[] {
  return fs
    .readdirSync(path.join(lab.runsDir, runId, 'checkpoints'))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => b - a);
}

function statusOnDisk(lab: ServedLab, runId: string): string {
  return (JSON.parse(fs.readFileSync(path.join(lab.runsDir, runId, 'run.json'), 'utf8')) as { status: string }).status;
}

/** Presses Play on the picker's default (the latest checkpoint); returns the ms from the click to the episode's first frame drawn. */
async function playLatest(page: Page, latest: number): Promise<number> {
  await expect(page.getByTestId('play-source')).toHaveValue(`checkpoint:${latest}`);
  await page.getByTestId('play-checkpoint').click();
  const viewer = page.getByTestId('viewer');
  await expect(viewer).toHaveAttribute('data-play-drawn-at', /\d/);
  await expect(page.getByTestId('viewer-episode')).toContainText('checkpoint');
  const [clicked, drawn] = await Promise.all([viewer.getAttribute('data-play-clicked-at'), viewer.getAttribute('data-play-drawn-at')]);
  return Number(drawn) - Number(clicked);
}

test('Pendulum: a finished run plays its latest checkpoint at once; the picker lists the checkpoints on disk', async ({ app: page, lab }) => {
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '4096', num_steps: '128' });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  expect(statusOnDisk(lab, runId)).toBe('finished');
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-step', '4096');

  const onDisk = checkpointsOnDisk(lab, runId);
  await expect
    .poll(() =>
      page
        .getByTestId('play-source')
        .locator('option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v.startsWith('checkpoint:'))),
    )
    .toEqual(onDisk.map((step) => `checkpoint:${step}`));

  const ms = await playLatest(page, onDisk[0]);
  console.log(`Pendulum: first frame of the played checkpoint drawn ${ms.toFixed(0)} ms after the click`);
  expect(ms).toBeLessThan(PLAY_WITHIN_MS);
  await expect.poll(() => robotPixelShare(page), { message: 'the pendulum is drawn' }).toBeGreaterThan(0.001);
  await expect(page.getByTestId('viewer-overlay')).toContainText('replaying update');
  await keepScreenshot(page, 'play-pendulum-finished');
});

test('Hopper: a finished run plays its latest checkpoint at once; Stop says stopped', async ({ app: page, lab }) => {
  test.setTimeout(300_000);
  const finished = await startRunFromUi(page, 'Hopper-v0', { totalSteps: '2048', num_steps: '512' });
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 200_000 });
  expect(statusOnDisk(lab, finished)).toBe('finished');
  const ms = await playLatest(page, checkpointsOnDisk(lab, finished)[0]);
  console.log(`Hopper: first frame of the played checkpoint drawn ${ms.toFixed(0)} ms after the click`);
  expect(ms).toBeLessThan(PLAY_WITHIN_MS);
  await expect.poll(() => robotPixelShare(page), { message: 'the hopper is drawn' }).toBeGreaterThan(0.001);
  await page.getByTestId('reset-camera').click();
  await keepScreenshot(page, 'play-hopper-finished');

  const stopped = await startRunFromUi(page, 'Hopper-v0', { num_steps: '512' });
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect(page.getByTestId('run-progress')).not.toHaveAttribute('data-step', '0', { timeout: 120_000 });
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
  await expect.poll(() => statusOnDisk(lab, stopped)).toBe('stopped');
});
