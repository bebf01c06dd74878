/** Serve mode's HTTP route for a run's videos; server.ts lets only requests holding the token here. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lab } from '../lab/lab.ts';
import { readVideo, videoReply } from './video-reply.ts';

export function serveVideo(lab: Pick<Lab, 'videoFile'>, request: IncomingMessage, response: ServerResponse): void {
  const pathname = new URL(request.url ?? '/', 'http://x').pathname;
  const reply = videoReply(lab, pathname, { method: request.method ?? 'GET', range: request.headers.range ?? null });
  response.writeHead(reply.status, reply.headers);
  if (reply.body === null) return void response.end();
  if (typeof reply.body === 'string') return void response.end(reply.body);
  readVideo(reply.body)
    // A file removed while it is sent: the headers are gone, so the only way to say so is to cut the connection.
    .on('error', () => response.destroy())
    .pipe(response);
}
