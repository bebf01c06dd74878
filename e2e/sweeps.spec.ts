/** A sweep from the app: start it from the form, watch its trials train, open one, stop the sweep. */
import { SweepStore } from '../main/store/sweep-store.ts';
import { expect, keepScreenshot, test } from './fixtures.ts';

test('start a sweep, watch the table fill, open a trial, stop the sweep', async ({ app: page, lab }) => {
  await page.getByTestId('sweeps-nav').click();
  await expect(page).toHaveURL(/#\/sweeps$/);
  await page.getByTestId('sweep-new').click();
  await expect(page.getByTestId('sweep-env')).toHaveValue('Pendulum-v1');
  await page.getByTestId('sweep-algo').selectOption('ppo');
  await page.getByTestId('sweep-method-random').click();
  // Each trial trains 80 small updates: long enough to be stopped while it trains.
  await page.getByTestId('sweep-steps').fill('40960');
  await page.getByTestId('sweep-trials').fill('3');
  await page.getByTestId('sweep-concurrency').fill('2');
  await page.getByTestId('sweep-set').fill('num_envs=1\nnum_steps=512\nnum_minibatches=4\nupdate_epochs=4');

  // A mistake is named under its field by the CLI's schema, and Start waits for it to be fixed.
  await page.getByTestId('sweep-param-min-0').fill('0.01');
  await expect(page.getByTestId('sweep-error-parameters.learning_rate')).toContainText('greater than max');
  await expect(page.getByTestId('sweep-start')).toBeDisabled();
  await page.getByTestId('sweep-param-min-0').fill('0.0001');
  await expect(page.getByTestId('sweep-error-parameters.learning_rate')).toHaveCount(0);
  await keepScreenshot(page, 'sweep-form-dark');
  await expect(page.getByTestId('sweep-start')).toBeEnabled();
  await page.getByTestId('sweep-start').click();

  const view = page.getByTestId('sweep-view');
  await expect(view).toBeVisible();
  const sweepId = (await view.getAttribute('data-sweep-id'))!;
  await expect(page).toHaveURL(new RegExp(`#/sweeps/${sweepId}$`));
  await expect(page.getByTestId('sweep-status')).toHaveText('running');
  const rows = page.getByTestId('sweep-trial');
  await expect(rows).toHaveCount(3);
  // The two trials that train stream their metric into the table as they learn.
  await expect.poll(() => page.locator('[data-testid="sweep-trial"]:not([data-metric=""])').count(), { timeout: 60_000 }).toBe(2);
  await expect(page.getByTestId('sweep-best')).toContainText('trial');
  await expect.poll(async () => Number(await page.getByTestId('chart-sweep').getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(1);
  await keepScreenshot(page, 'sweep-running-dark');

  // A trial opens as an ordinary run.
  const trialRun = (await rows.first().getAttribute('data-run-id'))!;
  await rows.first().click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', trialRun);
  await expect(page.getByTestId('run-sweep')).toContainText(sweepId);
  await page.getByTestId('run-sweep').click();
  await expect(view).toBeVisible();

  await page.getByTestId('sweep-stop').click();
  await expect(page.getByTestId('sweep-status')).toHaveText('stopped', { timeout: 60_000 });
  const detail = lab.server.lab.getSweep(sweepId);
  expect(detail.trials.map((t) => t.status)).toEqual(['stopped', 'stopped', 'pending']);
  for (const trial of detail.trials.slice(0, 2)) expect(lab.server.lab.getRun(trial.run).run.status).toBe('stopped');
  await expect(page.getByTestId('sweep-resume')).toBeVisible();
  await expect(page.getByTestId('sweep-lineage')).toContainText('stopped');
  await keepScreenshot(page, 'sweep-stopped-dark');
  await page.getByTestId('sweep-lineage').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'sweep-decisions-dark');

  // "Sweep this" from a trial: the form starts from its settings.
  await rows.first().click();
  await page.getByTestId('sweep-this').click();
  await expect(page.getByTestId('sweep-steps')).toHaveValue('40960');
  await expect(page.getByTestId('sweep-set')).toHaveValue(/num_steps=512/);
});

// Both trials end from the same donor's checkpoint, their returns a fraction apart: the view must
// go on updating (it once froze on a duplicate axis label, the sweep showing 'running' forever).
test("a PBT sweep's lineage: which trial copied which, at which step, with which values", async ({ app: page, lab }) => {
  test.setTimeout(240_000);
  // A render error stops the view updating (say a duplicate key when both trials end alike): name it.
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const sweep = await lab.server.lab.startSweep({
    env: 'Pendulum-v1',
    algo: 'ppo',
    steps: 2048,
    method: 'pbt',
    trials: 2,
    concurrency: 2,
    parameters: { learning_rate: { min: 1e-4, max: 3e-3, log: true }, ent_coef: { min: 0, max: 0.01 } },
    set: { num_envs: 1, num_steps: 256, num_minibatches: 4, update_epochs: 2 },
    pbt: { interval: 1024, quantile: 0.5 },
    checkpoint_every: 1,
  });
  await page.getByTestId('sweeps-nav').click();
  await page.locator(`[data-testid="sweep-item"][data-sweep-id="${sweep.id}"]`).click();
  await expect(page.getByTestId('sweep-status')).toHaveText('finished', { timeout: 200_000 });
  const lineage = page.getByTestId('sweep-lineage');
  await expect(lineage).toHaveAttribute('data-exploits', '1');
  await expect(lineage).toContainText('copied');
  await expect(page.getByTestId('sweep-best')).toContainText('Best trial');
  await expect(page.getByTestId('sweep-parallel')).toHaveAttribute('data-axes', '3');
  await keepScreenshot(page, 'sweep-pbt-dark');
  await lineage.scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'sweep-pbt-lineage-dark');
  expect(pageErrors).toEqual([]);
});

test('a queue that is not a redis:// URL is named under its field, its password nowhere, and no sweep starts', async ({ app: page, lab }) => {
  const sweeps = lab.server.lab.listSweeps().length;
  await page.getByTestId('sweeps-nav').click();
  await page.getByTestId('sweep-new').click();
  await expect(page.getByTestId('sweep-env')).toHaveValue('Pendulum-v1');
  await page.getByTestId('sweep-queue').fill('http://:s3cret@127.0.0.1:6379');
  await expect(page.getByTestId('sweep-start')).toBeEnabled();
  await page.getByTestId('sweep-start').click();
  await expect(page.getByTestId('sweep-error-queue')).toHaveText('the queue is a http: URL: expected redis://HOST:PORT or rediss://HOST:PORT');
  await expect(page.getByTestId('sweep-form')).not.toContainText('s3cret');
  expect(lab.server.lab.listSweeps()).toHaveLength(sweeps);
  // Editing the field clears its error.
  await page.getByTestId('sweep-queue').fill('');
  await expect(page.getByTestId('sweep-error-queue')).toHaveCount(0);
});

test('a queued sweep resumes through the queue typed beside Resume: a refused one is named there, its password nowhere, and the sweep stays stopped', async ({
  app: page,
  lab,
}) => {
  // A sweep whose trials trained on a queue, stopped: as `gaitlab sweep --queue` leaves one that was stopped.
  const stopped = new SweepStore(lab.runsDir).create(
    { name: 'queued', env: 'Pendulum-v1', algo: 'ppo', method: 'grid', steps: 2048, parameters: {} },
    'queue',
    [],
  );
  stopped.update({ status: 'stopped' });
  await page.goto(`${lab.server.url}#/sweeps/${stopped.info.id}`);
  await expect(page.getByTestId('sweep-status')).toHaveText('stopped');
  await page.getByTestId('sweep-queue').fill('http://:s3cret@127.0.0.1:6379');
  await page.getByTestId('sweep-resume').click();
  await expect(page.getByTestId('sweep-error-queue')).toHaveText('the queue is a http: URL: expected redis://HOST:PORT or rediss://HOST:PORT');
  await expect(page.getByTestId('sweep-view')).not.toContainText('s3cret');
  expect(page.url()).not.toContain('s3cret');
  await expect(page.getByTestId('sweep-status')).toHaveText('stopped');
  expect(lab.server.lab.getSweep(stopped.info.id).sweep).toMatchObject({ status: 'stopped', live: false, executor: 'queue' });
  // Editing the field clears its error.
  await page.getByTestId('sweep-queue').fill('');
  await expect(page.getByTestId('sweep-error-queue')).toHaveCount(0);
});
