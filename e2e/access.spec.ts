/** Serve mode refuses a browser that does not have the printed address (its token). */
import { expect, test } from './fixtures.ts';

test('a second browser without the token is refused, page and socket', async ({ browser, lab }) => {
  const stranger = await browser.newContext();
  const page = await stranger.newPage();
  const origin = new URL(lab.server.url).origin;
  const response = await page.goto(`${origin}/`);
  expect(response?.status()).toBe(403);
  await expect(page.locator('body')).toContainText('needs its token');
  expect((await page.goto(`${origin}/?token=not-the-token`))?.status()).toBe(403);

  // Even a page of the right origin cannot open the Lab's socket without the token.
  const opened = await page.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => resolve(true);
        socket.onerror = () => resolve(false);
      }),
    `${origin.replace('http', 'ws')}/lab?token=guess`,
  );
  expect(opened).toBe(false);
  await stranger.close();
});
