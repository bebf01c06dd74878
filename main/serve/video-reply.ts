/**
 * The answer to a page's request for one of a run's videos, the same from both of the UI's hosts:
 * serve mode's HTTP route (video-route.ts) and the app's gaitlab-video: protocol. Only a file that
 * listVideos lists is served, its run id and name first checked by the LabApi's own schemas (the
 * run store opens paths too); Range requests are answered, so that the player can seek.
 */
import fs from 'node:fs';
import path from 'node:path';
import { labArgSchemas } from '../lab/api-schemas.ts';
import type { Lab } from '../lab/lab.ts';
import { VIDEO_MEDIA_TYPES } from '../lab/video-jobs.ts';
import { parseByteRange } from './byte-range.ts';

/** Where the videos' paths start: they mirror the runs folder, runs/<id>/videos/<name>. */
export const VIDEO_ROUTE = '/runs/';

export function videoPath(runId: string, name: string): string {
  return `${VIDEO_ROUTE}${encodeURIComponent(runId)}/videos/${encodeURIComponent(name)}`;
}

export interface VideoReply {
  status: number;
  headers: Record<string, string>;
  /** What follows the headers: bytes start..end (inclusive) of the video file, a short text, or nothing. */
  body: { file: string; start: number; end: number } | string | null;
}

export function videoReply(lab: Pick<Lab, 'videoFile'>, pathname: string, request: { method: string; range: string | null }): VideoReply {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'method not allowed');
  const file = listedVideo(lab, pathname);
  // lstat: a symlink put in place of a listed video since it was listed is not a video either.
  const stat = file === null ? undefined : fs.lstatSync(file, { throwIfNoEntry: false });
  if (file === null || !stat?.isFile()) return refusal(404, 'no such video');
  const headers: Record<string, string> = {
    'Content-Type': VIDEO_MEDIA_TYPES[path.extname(file)],
    'Accept-Ranges': 'bytes',
    // Recording a checkpoint again replaces its video under the same name.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  const range = parseByteRange(request.range, stat.size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${stat.size}` }, body: null };
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  headers['Content-Length'] = String(end - start + 1);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${stat.size}`;
  const sendsBytes = request.method === 'GET' && end >= start;
  return { status: range ? 206 : 200, headers, body: sendsBytes ? { file, start, end } : null };
}

/** The file a video path names, if its run lists it; null for anything else. */
function listedVideo(lab: Pick<Lab, 'videoFile'>, pathname: string): string | null {
  const match = /^\/runs\/([^/]+)\/videos\/([^/]+)$/.exec(pathname);
  if (!match) return null;
  let args: string[];
  try {
    args = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
  } catch {
    return null; // malformed percent-encoding
  }
  const parsed = labArgSchemas.videoLocation.safeParse(args);
  if (!parsed.success) return null;
  try {
    return lab.videoFile(...parsed.data);
  } catch {
    return null; // no such run, or no such video in it
  }
}

/**
 * The bytes of a reply's video. Never read through a symlink, were one swapped in for the listed
 * file since it was checked: O_NOFOLLOW, where the platform has it.
 */
export function readVideo(body: { file: string; start: number; end: number }): fs.ReadStream {
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0);
  // fs.open takes numeric flags; the stream options' type names only the string ones.
  return fs.createReadStream(body.file, { start: body.start, end: body.end, flags: flags as unknown as string });
}

function refusal(status: number, text: string): VideoReply {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, body: `${text}\n` };
}
