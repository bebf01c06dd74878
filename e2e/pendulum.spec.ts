/** A user trains Pendulum from the UI: the robot on screen, curves that grow, a live change, pause, resume, stop. */
import { chartPoints, expect, keepScreenshot, robotPixelShare, runEvents, runMetrics, startRunFromUi, test } from './fixtures.ts';

test('Pendulum: start with defaults, watch, change the learning rate, pause, resume, stop', async ({ app: page, lab }) => {
  const runId = await startRunFromUi(page, 'Pendulum-v1');
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText('running');

  await expect.poll(() => robotPixelShare(page), { message: 'the pendulum is drawn' }).toBeGreaterThan(0.001);
  await expect.poll(() => chartPoints(page, 'return')).toBeGreaterThan(0);
  const points = await chartPoints(page, 'return');
  await expect.poll(() => chartPoints(page, 'return'), { message: 'the return chart gains points' }).toBeGreaterThan(points);
  await keepScreenshot(page, 'pendulum-training-dark');

  await page.getByTestId('hp-learning_rate').fill('0.0001');
  await page.getByTestId('apply-hparams').click();
  await expect.poll(() => runEvents(lab, runId).find((e) => e.type === 'hparams')?.values).toEqual({ learning_rate: 0.0001 });
  const change = runEvents(lab, runId).find((e) => e.type === 'hparams')!;
  await expect.poll(() => runMetrics(lab, runId).filter((row) => row.step! > change.step).length).toBeGreaterThan(0);
  // The first update after the change uses it (annealed from the new value); the ones before did not.
  const rows = runMetrics(lab, runId);
  expect(rows.filter((row) => row.step! <= change.step).at(-1)!.learning_rate).toBeGreaterThan(2.5e-4);
  for (const row of rows.filter((r) => r.step! > change.step)) {
    expect(row.learning_rate).toBeLessThanOrEqual(1e-4);
    expect(row.learning_rate).toBeGreaterThan(0.9e-4);
  }
  await expect(page.getByTestId('hp-learning_rate')).toHaveValue('0.0001');
  await expect(page.getByTestId('apply-hparams')).toBeDisabled();

  await page.getByTestId('evaluate-now').click();
  await expect(page.getByTestId('viewer-episode')).toContainText('evaluation');

  await page.getByTestId('pause-run').click();
  await expect(status).toHaveText('paused');
  const pausedAt = runMetrics(lab, runId).length;
  await page.waitForTimeout(1500);
  expect(runMetrics(lab, runId).length).toBe(pausedAt);
  await page.getByTestId('resume-run').click();
  await expect(status).toHaveText('running');
  await expect.poll(() => runMetrics(lab, runId).length).toBeGreaterThan(pausedAt);

  await page.getByTestId('theme-toggle').click();
  await keepScreenshot(page, 'pendulum-training-light');
  await page.getByTestId('stop-run').click();
  await expect(status).toHaveText('stopped');
  expect(runEvents(lab, runId).map((e) => e.type)).toEqual(expect.arrayContaining(['hparams', 'pause', 'resume']));
});
