import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Lab } from '../main/lab/lab.ts';
import { fakeLauncher } from '../main/lab/fake-trainer.test-support.ts';
import { CONTENT_SECURITY_POLICY } from '../main/static/static-files.ts';
import { useTempDir } from '../main/store/temp-dir.test-support.ts';
import { serveVideos, VIDEO_SCHEME, videoResponse, videoUrl } from './video-protocol.ts';

const tempDir = useTempDir();

const VIDEO = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 11) % 253));

/** A Lab whose run has one video, as the app's main process holds it. */
function setup() {
  const lab = new Lab({ runsDir: path.join(tempDir(), 'runs'), launcher: fakeLauncher().launcher, videoHost: { url: videoUrl, reveal: vi.fn() } });
  const run = lab.createRun({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 2048, hparams: {} });
  fs.writeFileSync(path.join(lab.store.root, run.id, 'videos', 'eval-step2048-seed10000.webm'), VIDEO);
  return { lab, runId: run.id };
}

describe('gaitlab-video: the runs’ videos in the app', () => {
  it('is what the LabApi gives the page for a video, and Electron hands its requests here', async () => {
    const { lab, runId } = setup();
    const { url } = lab.videoLocation(runId, 'eval-step2048-seed10000.webm');
    expect(url).toBe(`gaitlab-video://lab/runs/${runId}/videos/eval-step2048-seed10000.webm`);
    const protocol = { handle: vi.fn() };
    serveVideos(protocol, lab);
    expect(protocol.handle).toHaveBeenCalledWith('gaitlab-video', expect.any(Function));
    const response = (await protocol.handle.mock.calls[0][1](new Request(url))) as Response;
    expect([response.status, response.headers.get('content-type'), response.headers.get('accept-ranges')]).toEqual([200, 'video/webm', 'bytes']);
    expect(Buffer.from(await response.arrayBuffer()).equals(VIDEO)).toBe(true);
    // The window's page (gaitlab://app, under the shared policy) may load media from the scheme.
    expect(CONTENT_SECURITY_POLICY).toContain(`media-src 'self' ${VIDEO_SCHEME.scheme}:`);
  });

  it('answers a Range request with 206 and exactly those bytes', async () => {
    const { lab, runId } = setup();
    const response = videoResponse(lab, new Request(videoUrl(runId, 'eval-step2048-seed10000.webm'), { headers: { range: 'bytes=512-' } }));
    expect([response.status, response.headers.get('content-range'), response.headers.get('content-length')]).toEqual([206, 'bytes 512-599/600', '88']);
    expect(Buffer.from(await response.arrayBuffer()).equals(VIDEO.subarray(512))).toBe(true);
  });

  it('refuses another host, an unlisted name, and any path out of the videos folder', async () => {
    const { lab, runId } = setup();
    const refused = [
      `gaitlab-video://other/runs/${runId}/videos/eval-step2048-seed10000.webm`,
      videoUrl(runId, 'missing.mp4'),
      `gaitlab-video://lab/runs/${runId}/videos/..%2frun.json`,
      `gaitlab-video://lab/runs/${runId}/videos/../run.json`,
      `gaitlab-video://lab/runs/${encodeURIComponent(path.join(lab.store.root, runId))}/videos/eval-step2048-seed10000.webm`,
    ];
    for (const url of refused) expect(videoResponse(lab, new Request(url)).status, url).toBe(404);
  });
});
