/** A robot from MJCF trains from the UI as the classic tasks do, and the viewer draws it. */
import { chartPoints, expect, keepScreenshot, robotPixelShare, test } from './fixtures.ts';

test('Hopper: start from the UI, see the robot, watch the return chart grow', async ({ app: page }) => {
  await page.getByTestId('new-run').click();
  const env = page.getByTestId('env-select');
  const hopper = (await env.locator('option').allTextContents()).find((id) => id.startsWith('Hopper-'));
  expect(hopper, 'a Hopper environment is offered').toBeDefined();
  await env.selectOption(hopper!);
  await expect(page.getByTestId('field-num_steps')).toBeVisible();
  // Short rollouts: the chart gets its points within seconds.
  await page.getByTestId('field-num_steps').fill('512');
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('running');

  await expect.poll(() => robotPixelShare(page), { message: 'the hopper is drawn', timeout: 60_000 }).toBeGreaterThan(0.001);
  await expect.poll(() => chartPoints(page, 'return'), { timeout: 60_000 }).toBeGreaterThan(1);
  await keepScreenshot(page, 'hopper-training-dark');
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-status')).toHaveText('stopped');
});
