import fs from 'node:fs';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runConfigSchema } from '../config/run-config.ts';
import { fakeLauncher } from '../lab/fake-trainer.test-support.ts';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { startServer, type LabServer } from './server.ts';
import { videoPath } from './video-reply.ts';

const tempDir = useTempDir();
let server: LabServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

/** 1000 bytes that differ from each other's neighbours, so a wrong offset shows. */
const VIDEO = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 251));

/** A served Lab with one run holding a.mp4, b.webm, a stray text file and a recording's temp file. */
async function start(): Promise<{ s: LabServer; runId: string; runDir: string }> {
  const rendererDir = path.join(tempDir(), 'dist');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>GaitLab</title>');
  fs.writeFileSync(path.join(tempDir(), 'secret.mp4'), 'secret');
  server = await startServer({ port: 0, runsDir: path.join(tempDir(), 'runs'), rendererDir, launcher: fakeLauncher({ exitOnStop: true }).launcher });
  const run = server.lab.store.createRun(runConfigSchema.parse({ env: 'Pendulum-v1', algo: 'ppo', seed: 1, totalSteps: 2048, hparams: {} }), {
    versions: { gaitlab: 'test', node: process.version },
  });
  fs.writeFileSync(path.join(run.videosDir, 'a.mp4'), VIDEO);
  fs.writeFileSync(path.join(run.videosDir, 'b.webm'), 'webm');
  fs.writeFileSync(path.join(run.videosDir, 'notes.txt'), 'notes');
  fs.writeFileSync(path.join(run.videosDir, '.tmp-c.mp4-1'), 'unfinished');
  return { s: server, runId: run.info.id, runDir: run.dir };
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request (fetch would not let the test set Host), the body as bytes. */
function request(s: LabServer, pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.port, path: pathname, method, headers: { host: `127.0.0.1:${s.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const withToken = (s: LabServer, pathname: string) => `${pathname}?token=${s.token}`;

describe("serve mode: a run's videos", () => {
  it('needs the token, in the address or in the cookie set with the page, and the right Host', async () => {
    const { s, runId } = await start();
    const video = videoPath(runId, 'a.mp4');
    expect((await request(s, video)).status).toBe(403);
    expect((await request(s, `${video}?token=${'x'.repeat(32)}`)).status).toBe(403);
    expect((await request(s, withToken(s, video), { host: `evil.example:${s.port}` })).status).toBe(403);
    expect((await request(s, withToken(s, video))).status).toBe(200);
    const page = await request(s, `/?token=${s.token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const byCookie = await request(s, video, { cookie });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.equals(VIDEO)).toBe(true);
  });

  it('sends a video whole, with its media type, and says it takes ranges', async () => {
    const { s, runId } = await start();
    const mp4 = await request(s, withToken(s, videoPath(runId, 'a.mp4')));
    expect(mp4.headers).toMatchObject({ 'content-type': 'video/mp4', 'content-length': '1000', 'accept-ranges': 'bytes', 'x-content-type-options': 'nosniff' });
    expect(mp4.body.equals(VIDEO)).toBe(true);
    const webm = await request(s, withToken(s, videoPath(runId, 'b.webm')));
    expect([webm.status, webm.headers['content-type'], webm.body.toString()]).toEqual([200, 'video/webm', 'webm']);
    const head = await request(s, withToken(s, videoPath(runId, 'a.mp4')), {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '1000', 0]);
    expect((await request(s, withToken(s, videoPath(runId, 'a.mp4')), {}, 'POST')).status).toBe(405);
  });

  it('answers a Range request with 206 and exactly those bytes, and 416 past the end', async () => {
    const { s, runId } = await start();
    const video = withToken(s, videoPath(runId, 'a.mp4'));
    const middle = await request(s, video, { range: 'bytes=100-199' });
    expect(middle.status).toBe(206);
    expect(middle.headers).toMatchObject({ 'content-range': 'bytes 100-199/1000', 'content-length': '100', 'content-type': 'video/mp4' });
    expect(middle.body.equals(VIDEO.subarray(100, 200))).toBe(true);
    const tail = await request(s, video, { range: 'bytes=900-' });
    expect([tail.status, tail.headers['content-range']]).toEqual([206, 'bytes 900-999/1000']);
    expect(tail.body.equals(VIDEO.subarray(900))).toBe(true);
    const suffix = await request(s, video, { range: 'bytes=-10' });
    expect(suffix.body.equals(VIDEO.subarray(990))).toBe(true);
    const past = await request(s, video, { range: 'bytes=1000-' });
    expect([past.status, past.headers['content-range'], past.body.length]).toEqual([416, 'bytes */1000', 0]);
  });

  it('answers 404 for a name the run does not list, and for a run that does not exist', async () => {
    const { s, runId } = await start();
    for (const name of ['missing.mp4', 'notes.txt', '.tmp-c.mp4-1', 'A.MP4']) {
      expect((await request(s, withToken(s, videoPath(runId, name)))).status, name).toBe(404);
    }
    expect((await request(s, withToken(s, videoPath('no-such-run', 'a.mp4')))).status).toBe(404);
    expect((await request(s, withToken(s, `/runs/${runId}/videos`))).status).toBe(404);
  });

  it("never sends a file outside the run's videos folder", async () => {
    const { s, runId, runDir } = await start();
    const attempts = [
      `/runs/${runId}/videos/../run.json`,
      `/runs/${runId}/videos/..%2frun.json`,
      `/runs/${runId}/videos/..%2f..%2f..%2fsecret.mp4`,
      `/runs/${runId}/videos/%2e%2e`,
      `/runs/..%2f..%2fsecret.mp4/videos/a.mp4`,
      `/runs/..%2f${runId}/videos/a.mp4`,
      `/runs/${encodeURIComponent(runDir)}/videos/a.mp4`,
      `/runs/${runId}/videos/${encodeURIComponent(path.join(runDir, 'videos', 'a.mp4'))}`,
      `/runs/${runId}/videos/%E0%A4%A`,
      `/runs/${runId}/videos/a.mp4%00`,
    ];
    for (const attempt of attempts) {
      const response = await request(s, withToken(s, attempt));
      expect(response.status, attempt).toBe(404);
      expect(response.body.toString(), attempt).toBe('no such video\n');
    }
  });

  it('neither lists nor sends a symlink, and skips a dangling one without failing the other videos', async () => {
    const { s, runId, runDir } = await start();
    const videos = path.join(runDir, 'videos');
    fs.symlinkSync('/etc/passwd', path.join(videos, 'evil.mp4'));
    fs.symlinkSync(path.join(tempDir(), 'secret.mp4'), path.join(videos, 'secret.mp4'));
    fs.symlinkSync(path.join(videos, 'removed.mp4'), path.join(videos, 'dangling.webm'));
    expect(
      s.lab
        .listVideos(runId)
        .map((video) => video.name)
        .sort(),
    ).toEqual(['a.mp4', 'b.webm']);
    for (const name of ['evil.mp4', 'secret.mp4', 'dangling.webm']) {
      const response = await request(s, withToken(s, videoPath(runId, name)));
      expect([response.status, response.body.toString()], name).toEqual([404, 'no such video\n']);
    }
    const listed = await request(s, withToken(s, videoPath(runId, 'a.mp4')));
    expect([listed.status, listed.body.equals(VIDEO)]).toEqual([200, true]);
  });
});
