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
