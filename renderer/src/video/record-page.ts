/**
 * The record page (record.html): `gaitlab record` opens it in a headless browser and calls
 * `gaitlabRecord(job)`. It renders the job's frames with the viewer's World, encodes them, and
 * hands the file's bytes back through `gaitlabWrite` as they are muxed (see main/video/record-job.ts).
 */
import '@fontsource-variable/inter/wght.css';
import '../styles/app.css';
import { jobFps, jobFrameCount, type RecordJob, type RecordPageFunctions, type RecordResult } from '../../../main/video/record-job.ts';
import { cssVar } from '../lib/theme.svelte.ts';
import { chooseEncoding, encodeFrames } from './encoder.ts';
import { FrameRenderer } from './frame-renderer.ts';

const page = window as unknown as RecordPageFunctions;

// Videos use the dark theme's colors (the design tokens in app.css).
document.documentElement.dataset.theme = 'dark';

page.gaitlabRecord = async (job: RecordJob): Promise<RecordResult> => {
  // The overlay's text is drawn onto a canvas, which does not wait for web fonts the way the DOM does.
  await document.fonts.load(`600 16px ${cssVar('--font')}`);
  const fps = jobFps(job);
  const frames = jobFrameCount(job);
  const encoding = await chooseEncoding(job.container, job.width, job.height, fps);
  const renderer = new FrameRenderer(job);
  try {
    await encodeFrames({
      encoding,
      canvas: renderer.canvas,
      fps,
      frames,
      draw: (k) => renderer.draw(k),
      write: async (position, data) => page.gaitlabWrite(position, await toBase64(data)),
      progress: (done, total) => page.gaitlabProgress(done, total),
    });
  } finally {
    renderer.dispose();
  }
  const { container, codec, fallback } = encoding;
  return { container, codec, fallback, width: job.width, height: job.height, fps, frames, durationSeconds: frames / fps };
};

/** Bytes cross to Node as text; the browser's own data-URL encoder is the fast way there. */
function toBase64(data: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((reader.result as string).split(',', 2)[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([data as Uint8Array<ArrayBuffer>]));
  });
}
