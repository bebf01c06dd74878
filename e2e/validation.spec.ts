/** Bad values in the New-run form are shown where they are, and nothing starts. */
import { expect, keepScreenshot, test } from './fixtures.ts';

test('bad field values show inline errors, disable Start, and start nothing', async ({ app: page, lab }) => {
  const before = lab.server.lab.listRuns().length;
  await page.getByTestId('new-run').click();
  await expect(page.getByTestId('start-run')).toBeEnabled();

  await page.getByTestId('field-learning_rate').fill('-0.5');
  await page.getByTestId('field-gamma').fill('fast');
  await page.getByTestId('field-seed').fill('1.5');
  await expect(page.getByTestId('error-field-learning_rate')).toBeVisible();
  await expect(page.getByTestId('error-field-gamma')).toContainText(/number/i);
  await expect(page.getByTestId('error-field-seed')).toBeVisible();
  await expect(page.getByTestId('start-run')).toBeDisabled();
  await keepScreenshot(page, 'new-run-errors-dark');

  // Disabled means disabled: a forced click starts nothing either.
  await page.getByTestId('start-run').click({ force: true });
  await page.waitForTimeout(500);
  expect(lab.server.lab.listRuns().length).toBe(before);

  await page.getByTestId('field-learning_rate').fill('3e-4');
  await page.getByTestId('field-gamma').fill('0.99');
  await page.getByTestId('field-seed').fill('7');
  await expect(page.getByTestId('error-field-learning_rate')).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await page.getByTestId('theme-toggle').click();
  await keepScreenshot(page, 'new-run-light');
});

test("a new env's settings replace the form's only once they come: nothing typed meanwhile is lost, nothing starts with the previous env's", async ({
  app: page,
}) => {
  // The page's calls pass through here; the Hopper's defaults are held until released (a slow Lab).
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.routeWebSocket(/\/lab/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage(async (message) => {
      if (typeof message === 'string' && message.includes('"runDefaults"') && message.includes('Hopper-v0')) await released;
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await page.reload();
  await page.getByTestId('new-run').click();
  await expect(page.getByTestId('field-learning_rate')).toBeVisible();
  await page.getByTestId('env-select').selectOption('Hopper-v0');
  // Pendulum's values are gone while the Hopper's are on their way, and Start waits for them.
  await expect(page.getByTestId('field-learning_rate')).toHaveCount(0);
  await expect(page.getByTestId('start-run')).toBeDisabled();
  release();
  await expect(page.getByTestId('field-learning_rate')).toBeVisible();
  await expect(page.getByTestId('field-totalSteps')).toHaveValue('1000000');
  await page.getByTestId('field-totalSteps').fill('2048');
  await expect(page.getByTestId('start-run')).toBeEnabled();
  await expect(page.getByTestId('field-totalSteps')).toHaveValue('2048');
});
