/**
 * What the Lab's pages say, as a new user reads them: the empty list, the New-run form's notes,
 * values under the cursor on the charts, Apply, the address of a run, a fork's lineage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startServer } from '../main/serve/server.ts';
import { chartPoints, expect, keepScreenshot, runEvents, runMetrics, startRunFromUi, test, type ServedLab } from './fixtures.ts';

/** Hovers a chart's plot, `across` of the way along x; returns its tooltip. */
async function hoverChart(page: Page, chart: string, across = 0.6) {
  const panel = page.getByTestId(`chart-${chart}`);
  const plot = panel.locator('.u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * across, box.y + box.height / 2);
  return panel.getByTestId('chart-tooltip');
}

async function waitFinished(lab: ServedLab, runId: string): Promise<void> {
  await expect.poll(() => lab.server.lab.listRuns().find((r) => r.id === runId)?.status, { timeout: 60_000 }).toBe('finished');
}

test('the empty list and the New-run form say what they mean', async ({ page }) => {
  // A runs folder of its own: the worker's Lab already lists the runs of the tests before this one.
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-e2e-empty-'));
  const server = await startServer({ port: 0, runsDir });
  try {
    await page.goto(server.url);
    // innerText, as rendered: the space before "New run" is there on screen, not only in the DOM.
    await expect
      .poll(() =>
        page
          .getByTestId('run-list')
          .locator('li')
          .first()
          .evaluate((li) => (li as HTMLElement).innerText),
      )
      .toBe('No runs yet. Start one with New run.');

    await page.getByTestId('env-select').selectOption('HalfCheetah-v0');
    await page.getByTestId('algo-select').selectOption('ppo');
    await expect(page.getByTestId('preset-tuned')).toBeDisabled();
    await expect(page.getByTestId('preset-note')).toHaveText(/^No tuned preset for .* on HalfCheetah-v0 yet: the algorithm's defaults are used\.$/);

    await page.getByTestId('env-select').selectOption('Pendulum-v1');
    await expect(page.getByTestId('preset-note')).toBeHidden();
    await page.getByTestId('field-num_envs').fill('1');
    await page.getByTestId('field-num_steps').fill('2048');
    await page.getByTestId('field-totalSteps').fill('20000');
    await expect(page.getByTestId('budget-note')).toHaveText(
      'Budget: trains 18,432 steps = 9 updates of 2,048 (the budget of 20,000 rounded down to whole updates).',
    );
    await keepScreenshot(page, 'new-run-budget-note-dark');
    await page.getByTestId('field-totalSteps').fill('20480');
    await expect(page.getByTestId('budget-note')).toBeHidden();
  } finally {
    await server.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
});

test('a run: values under the cursor, Apply at once, its own address, compare and fork', async ({ app: page, lab }) => {
  // Updates of 16,384 steps: 3-4 s apart on this machine, so Apply is seen before the trainer takes
  // it even on a busy one (at 4,096 steps, under a second apart, the trainer once took it first).
  const runId = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '400000', num_envs: '1', num_steps: '16384' });
  await expect.poll(() => chartPoints(page, 'return')).toBeGreaterThanOrEqual(2);

  const tooltip = await hoverChart(page, 'return');
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText(/^step [\d,]+ · \d+ s/);
  await expect(tooltip).toContainText('Episode return');
  const shownStep = Number(/step ([\d,]+)/.exec(await tooltip.innerText())![1].replace(/,/g, ''));
  const row = runMetrics(lab, runId).find((r) => r.step === shownStep)!;
  expect(row, `a logged step (${shownStep})`).toBeDefined();
  await expect(tooltip.locator('b').first()).not.toHaveText('–');
  await keepScreenshot(page, 'chart-hover-dark');

  // Apply: the panel's baseline is the applied value at once, not when the trainer's event comes.
  await page.getByTestId('hp-learning_rate').fill('0.0001');
  await expect(page.getByTestId('hparams-changed')).toHaveText('1 changed');
  await expect(page.getByTestId('apply-hparams')).toBeEnabled();
  const rows = runMetrics(lab, runId).length;
  await expect.poll(() => runMetrics(lab, runId).length, { message: 'an update just ended' }).toBeGreaterThan(rows);
  await page.getByTestId('apply-hparams').click();
  await expect(page.getByTestId('hparams-changed')).toBeHidden();
  expect(
    runEvents(lab, runId).filter((e) => e.type === 'hparams'),
    'the trainer has not taken it yet',
  ).toEqual([]);
  await expect(page.getByTestId('apply-hparams')).toBeDisabled();
  await expect(page.getByTestId('hp-learning_rate')).not.toHaveClass(/changed/);
  await expect(page.getByTestId('hp-learning_rate')).toHaveValue('0.0001');
  await expect.poll(() => runEvents(lab, runId).find((e) => e.type === 'hparams')?.values).toEqual({ learning_rate: 0.0001 });

  // The address names the run: a reload comes back to it.
  await expect(page).toHaveURL(new RegExp(`#/runs/${runId}$`));
  await page.reload();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', runId);
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');

  // Logged at the same steps as the first run for its first two updates (a shorter run has no values past its end).
  const tiny = await startRunFromUi(page, 'Pendulum-v1', { totalSteps: '32768', num_envs: '1', num_steps: '16384', num_minibatches: '4', update_epochs: '4' });
  await waitFinished(lab, tiny);
  const list = page.getByTestId('run-list');
  await list.getByRole('checkbox', { name: `Compare ${runId}` }).check();
  await list.getByRole('checkbox', { name: `Compare ${tiny}` }).check();
  await page.getByTestId('compare-runs').click();
  await expect(page).toHaveURL(/#\/compare\//);
  await expect(page.getByTestId('compare-metric').locator('option:checked')).toHaveText('Episode return');
  await expect(page.getByTestId('compare-metric').locator('option', { hasText: '_' })).toHaveCount(0);
  await expect.poll(() => chartPoints(page, 'compare')).toBeGreaterThan(0);
  const compared = await hoverChart(page, 'compare', 0.02);
  await expect(compared.locator('.row')).toHaveCount(2);
  await expect(compared).toContainText(runId);
  await expect(compared).toContainText(tiny);
  await keepScreenshot(page, 'compare-hover-dark');

  const fork = lab.server.lab.forkRun(tiny, { step: 32_768, hparams: {}, totalSteps: 49_152 });
  await expect(page.locator(`[data-testid="run-item"][data-run-id="${fork.id}"] [data-testid="run-lineage"]`)).toHaveText(`fork at step 32,768 of ${tiny}`);
  await waitFinished(lab, fork.id);
  await keepScreenshot(page, 'run-list-fork-dark');
});
