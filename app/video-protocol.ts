/**
 * The runs' videos in the app: gaitlab-video://lab/runs/<id>/videos/<name>, answered as serve
 * mode's HTTP route answers (video-reply.ts): only videos listVideos lists, and Range requests, so
 * that the player can seek. A scheme of its own, not file://: the sandboxed page gets no file
 * access, and every request passes the Lab's checks.
 */
import { Readable } from 'node:stream';
import type { CustomScheme, Protocol } from 'electron';
import type { Lab } from '../main/lab/lab.ts';
import { readVideo, videoPath, videoReply } from '../main/serve/video-reply.ts';

const SCHEME = 'gaitlab-video';
const HOST = 'lab';

/** Registered with the app's other scheme before the app is ready (main.ts). `stream`: the player reads it in ranges. */
export const VIDEO_SCHEME: CustomScheme = { scheme: SCHEME, privileges: { standard: true, secure: true, stream: true } };

export function videoUrl(runId: string, name: string): string {
  return `${SCHEME}://${HOST}${videoPath(runId, name)}`;
}

/** `protocol` is Electron's, passed in so that this module loads, and is tested, without Electron's binary. */
export function serveVideos(protocol: Pick<Protocol, 'handle'>, lab: Pick<Lab, 'videoFile'>): void {
  protocol.handle(SCHEME, (request) => videoResponse(lab, request));
}

export function videoResponse(lab: Pick<Lab, 'videoFile'>, request: Request): Response {
  const url = new URL(request.url);
  // Any other host names no video: an empty path is refused like an unknown one.
  const reply = videoReply(lab, url.host === HOST ? url.pathname : '', { method: request.method, range: request.headers.get('range') });
  const { body } = reply;
  // Node's web stream type and the DOM's are the same object under two declarations.
  const bytes = body === null || typeof body === 'string' ? body : (Readable.toWeb(readVideo(body)) as unknown as ReadableStream<Uint8Array>);
  return new Response(bytes, { status: reply.status, headers: reply.headers });
}
