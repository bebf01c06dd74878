/**
 * Shared e2e fixtures: one served Lab per worker (a fresh runs folder), a page opened at its
 * tokened address, and helpers to read what the run wrote to disk and keep screenshots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startServer, type LabServer } from '../main/serve/server.ts';
import type { MetricsRow, RunEvent } from '../main/lab/api.ts';

/** A renderer long task as PerformanceObserver saw it (start on the page's performance.now() clock). */
export interface LongTask {
  start: number;
  ms: number;
}

export interface ServedLab {
  server: LabServer;
  runsDir: string;
}

export const test = base.extend<{ app: Page }, { lab: ServedLab }>({
  lab: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-e2e-'));
      const server = await startServer({ port: 0, runsDir });
      await use({ server, runsDir });
      await server.close();
      fs.rmSync(runsDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  app: async ({ page, lab }, use) => {
    // Long tasks are collected from the first script on (see performance.spec.ts).
    await page.addInitScript(() => {
      const tasks: LongTask[] = [];
      (window as unknown as { longTasks: LongTask[] }).longTasks = tasks;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push({ start: e.startTime, ms: e.duration }))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    await page.goto(lab.server.url);
    await expect(page.getByTestId('new-run')).toBeVisible();
    await use(page);
  },
});

export { expect };

/** Screenshots are kept under test-results/screenshots/ for people to look at. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  // Charts redraw over the next frames and the viewer draws a few a second (software GL): let them.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join('test-results', 'screenshots', `${name}.png`) });
}

/** Starts a run from the New-run form (defaults unless `fields` says otherwise); returns its id. */
export async function startRunFromUi(page: Page, env: string, fields: Record<string, string> = {}): Promise<string> {
  await page.getByTestId('new-run').click();
  await page.getByTestId('env-select').selectOption(env);
  await expect(page.getByTestId('field-learning_rate')).toBeVisible();
  for (const [name, value] of Object.entries(fields)) await page.getByTestId(`field-${name}`).fill(value);
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await page.getByTestId('start-run').click();
  const view = page.getByTestId('run-view');
  await expect(view).toBeVisible();
  return (await view.getAttribute('data-run-id'))!;
}

function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

export function runEvents(lab: ServedLab, runId: string): RunEvent[] {
  return readJsonl<RunEvent>(path.join(lab.runsDir, runId, 'events.jsonl'));
}

export function runMetrics(lab: ServedLab, runId: string): MetricsRow[] {
  return readJsonl<MetricsRow>(path.join(lab.runsDir, runId, 'metrics.jsonl'));
}

/** Points of a chart's main curve (the panel's data-points hook). */
export async function chartPoints(page: Page, chart: string): Promise<number> {
  return Number(await page.getByTestId(`chart-${chart}`).getAttribute('data-points'));
}

/**
 * Share of the viewer's pixels in the robot's colors: the background, ground and grid are all
 * near-gray in both themes, the robots are not. The overlays are hidden for the shot.
 */
export async function robotPixelShare(page: Page): Promise<number> {
  const png = await page.getByTestId('viewer-canvas').screenshot({ style: '.overlay, .controls, .badge, .waiting { visibility: hidden !important; }' });
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let colored = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 40) colored++;
    }
    return colored / (data.length / 4);
  }, png.toString('base64'));
}
