/** The runs folder as a user sees it: open a finished run, overlay two runs, fork one. */
import path from 'node:path';
import { CliProcess, QUICK_PPO } from '../main/cli/cli-process.test-support.ts';
import { chartPoints, expect, keepScreenshot, robotPixelShare, startRunFromUi, test } from './fixtures.ts';
import type { ServedLab } from './fixtures.ts';

const tiny = { totalSteps: '4096', num_envs: '1', num_steps: '512', num_minibatches: '4', update_epochs: '4' };

async function waitFinished(lab: ServedLab, runId: string): Promise<void> {
  await expect.poll(() => lab.server.lab.listRuns().find((r) => r.id === runId)?.status, { timeout: 60_000 }).toBe('finished');
}

test('open a finished run from the list, compare two runs, fork one', async ({ app: page, lab }) => {
  const first = await startRunFromUi(page, 'Pendulum-v1', tiny);
  const second = await startRunFromUi(page, 'Pendulum-v1', { ...tiny, seed: '2', ent_coef: '0.01' });
  await waitFinished(lab, first);
  await waitFinished(lab, second);

  await page.getByTestId('new-run').click();
  await page.locator(`[data-testid="run-item"][data-run-id="${first}"]`).click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', first);
  await expect(page.getByTestId('run-status')).toHaveText('finished');
  await expect.poll(() => chartPoints(page, 'return')).toBe(8);
  // Its last episode replays (the viewer of a run opened again draws as the first time did).
  await expect.poll(() => robotPixelShare(page)).toBeGreaterThan(0.001);
  await expect(page.getByTestId('pause-run')).toBeDisabled();
  await keepScreenshot(page, 'finished-run-dark');

  const list = page.getByTestId('run-list');
  await list.getByRole('checkbox', { name: `Compare ${first}` }).check();
  await list.getByRole('checkbox', { name: `Compare ${second}` }).check();
  await page.getByTestId('compare-runs').click();
  await expect.poll(() => chartPoints(page, 'compare')).toBeGreaterThan(0);
  const differing = page.locator('[data-testid="config-table"] tr[data-differs="true"] td:first-child');
  await expect(differing).toHaveText(['seed', 'ent_coef']);
  await keepScreenshot(page, 'compare-dark');

  await page.locator(`[data-testid="run-item"][data-run-id="${first}"]`).click();
  await page.getByTestId('fork-run').click();
  await page.getByTestId('fork-ent_coef').fill('0.02');
  await page.getByTestId('fork-totalSteps').fill('6144');
  await keepScreenshot(page, 'fork-dialog-dark');
  await page.getByTestId('fork-start').click();
  await expect(page.getByTestId('run-view')).not.toHaveAttribute('data-run-id', first);
  const fork = (await page.getByTestId('run-view').getAttribute('data-run-id'))!;
  await waitFinished(lab, fork);
  const info = lab.server.lab.getRun(fork);
  expect(info.run.parent).toEqual({ runId: first, step: 4096 });
  expect(info.hparams.ent_coef).toBe(0.02);
  expect(info.metrics.at(-1)?.step).toBe(6144);
  await expect(page.getByText(`forked from ${first}`)).toBeVisible();
});

test('a run `gaitlab train` trains in the same folder moves on its page without a reload, to its end', async ({ app: page, lab }) => {
  const train = new CliProcess(['train', ...QUICK_PPO, '--steps', String(256 * 5000), '--seed', '5', '--runs', lab.runsDir]);
  try {
    await train.metricsRows(2);
    const runId = path.basename(await train.runDir());
    // The list shows it at its next refresh.
    await page.locator(`[data-testid="run-item"][data-run-id="${runId}"]`).click();
    await expect(page.getByTestId('run-status')).toHaveText('running');
    const opened = await chartPoints(page, 'return');
    await expect.poll(() => chartPoints(page, 'return')).toBeGreaterThan(opened + 2);
    train.child.kill('SIGINT'); // Ctrl-C: it checkpoints and stops
    await expect(page.getByTestId('run-status')).toHaveText('stopped');
  } finally {
    train.child.kill();
    await train.exited;
  }
});
