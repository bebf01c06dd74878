/**
 * Makes a video file from a RecordJob: a headless browser opens the record page, which renders
 * and encodes the frames and streams the file's bytes back; they land in a temp file that becomes
 * `file` only once the video is complete (never a partial file, whatever fails).
 */
import path from 'node:path';
import { launchBrowser, findBrowser, type BrowserChoice } from './browser.ts';
import { PendingFile } from './pending-file.ts';
import { ensureRecordPage, startPageServer } from './page-server.ts';
import type { RecordJob, RecordPageFunctions, RecordResult } from './record-job.ts';

export interface RecordOptions {
  /** Called as frames are encoded. */
  onProgress?: (done: number, total: number) => void;
  browser?: BrowserChoice;
}

export interface RecordedVideo extends RecordResult {
  /** Where it was written: the file asked for, with the extension changed when the container fell back. */
  file: string;
  /** The browser that made it, in words. */
  browser: string;
}

export async function recordVideo(job: RecordJob, file: string, options: RecordOptions = {}): Promise<RecordedVideo> {
  const browserChoice = options.browser ?? findBrowser();
  const pending = PendingFile.create(file);
  // Ctrl-C, or the Lab stopping its recorder: the temp file goes too (Playwright closes the browser).
  const onSignal = (signal: NodeJS.Signals) => {
    pending.discard();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    await ensureRecordPage();
    const server = await startPageServer();
    cleanups.push(() => server.close());
    const browser = await launchBrowser(browserChoice);
    cleanups.push(() => browser.close());
    const page = browser.page;
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const write: RecordPageFunctions['gaitlabWrite'] = async (position, base64) => pending.write(position, Buffer.from(base64, 'base64'));
    const progress: RecordPageFunctions['gaitlabProgress'] = (done, total) => options.onProgress?.(done, total);
    await page.exposeFunction('gaitlabWrite' satisfies keyof RecordPageFunctions, write);
    await page.exposeFunction('gaitlabProgress' satisfies keyof RecordPageFunctions, progress);
    await page.goto(server.url);
    await page.waitForFunction(() => typeof (window as unknown as Partial<RecordPageFunctions>).gaitlabRecord === 'function', undefined, { timeout: 30_000 });
    let result: RecordResult;
    try {
      result = await page.evaluate((j) => (window as unknown as RecordPageFunctions).gaitlabRecord(j), job);
    } catch (error) {
      throw new Error(
        `${browser.description} could not make the video: ${pageMessage(error)}${pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : ''}`,
      );
    }
    const written = result.container === job.container ? file : replaceExtension(file, `.${result.container}`);
    pending.commit(written);
    return { ...result, file: path.resolve(written), browser: browser.description };
  } catch (error) {
    pending.discard();
    throw error;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

function replaceExtension(file: string, extension: string): string {
  return file.slice(0, file.length - path.extname(file).length) + extension;
}

/** The page's own message, without Playwright's call prefix and the page's stack. */
function pageMessage(error: unknown): string {
  return (error as Error).message.replace(/^page\.evaluate: (Error: )?/, '').split('\n    at ')[0];
}
