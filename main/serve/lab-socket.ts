/**
 * One browser's WebSocket to the Lab: calls in (validated by dispatchCall), replies and every Lab
 * event out. A client that falls behind skips training episodes, never metrics or status; one that
 * stops reading altogether is closed, so that what the server holds for it stays bounded. A socket
 * that fails (a malformed frame, a reset) is closed and logged: it never takes the server down.
 */
import path from 'node:path';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { LabCalls, LabEvent, WireServerFrame } from '../lab/api.ts';
import { dispatchCall } from '../lab/dispatch.ts';

const wireCallSchema = z.object({ id: z.number().int(), method: z.string(), args: z.array(z.unknown()) }).strict();
type WireCall = z.infer<typeof wireCallSchema>;

/** Bytes queued for a client beyond which episodes are not sent to it. */
const EPISODE_SKIP_BYTES = 4 << 20;

/**
 * Bytes queued for a client (sent by us, not yet taken by its connection) beyond which it is closed
 * with 1008: a client that sends calls and never reads the replies would otherwise grow the server
 * without bound. A page that reads never gets near it (the kernel's socket buffers take megabytes
 * first); it is room for two getRun replies of a long run (a million-step run's metrics are a few
 * MB of JSON). The server holds at most this plus one frame per client.
 */
export const MAX_QUEUED_BYTES = 8 << 20;

/** WebSocket close code 1008, policy violation (RFC 6455 7.4.1). */
export const CLOSE_POLICY_VIOLATION = 1008;

type SocketLab = LabCalls & { subscribe(listener: (event: LabEvent) => void): () => void };

export interface SocketOptions {
  /** The runs folder: its path is kept out of the replies (see clientError). */
  runsDir: string;
  /** The server's log (default stderr). */
  log?: (line: string) => void;
}

export function attachLabSocket(socket: WebSocket, lab: SocketLab, { runsDir, log = console.error }: SocketOptions): void {
  // ws has already closed the socket (with 1002, 1007 or 1009 for a bad frame): say why, and go on.
  socket.on('error', (error) => log(`gaitlab serve: closed a client's WebSocket: ${error.message}`));
  const send = (frame: WireServerFrame) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_QUEUED_BYTES) {
      log(`gaitlab serve: closed a client that reads nothing (${socket.bufferedAmount} bytes unread)`);
      socket.close(CLOSE_POLICY_VIOLATION, 'too much unread: read the replies before sending more calls');
      return;
    }
    socket.send(JSON.stringify(frame));
  };
  const unsubscribe = lab.subscribe((event) => {
    const isEpisode = event.type === 'trainer' && event.message.type === 'trajectory';
    if (isEpisode && socket.bufferedAmount > EPISODE_SKIP_BYTES) return;
    send({ kind: 'event', event });
  });
  socket.on('close', unsubscribe);

  // A client's calls are answered one at a time, and its socket is not read while any wait: a
  // client that sends a burst holds one result in the server at a time, not one per call.
  const waiting: WireCall[] = [];
  let answering = false;
  const answerWaiting = async () => {
    answering = true;
    try {
      for (let call = waiting.shift(); call && socket.readyState === socket.OPEN; call = waiting.shift()) {
        const result = await dispatchCall(lab, call.method, call.args);
        if (!result.ok) log(`gaitlab serve: ${call.method} refused: ${result.error}`);
        send({ kind: 'reply', id: call.id, ...(result.ok ? result : { ok: false, error: clientError(result.error, runsDir) }) });
      }
    } finally {
      waiting.length = 0;
      answering = false;
      socket.resume();
    }
  };
  socket.on('message', (data, isBinary) => {
    // A closing socket still delivers what was in flight: nothing more is worth answering.
    if (socket.readyState !== socket.OPEN) return;
    let call: WireCall;
    try {
      if (isBinary) throw new Error('binary frame');
      call = wireCallSchema.parse(JSON.parse(data.toString()));
    } catch {
      socket.close(1003, 'expected a JSON call {id, method, args}');
      return;
    }
    waiting.push(call);
    socket.pause();
    if (!answering) answerWaiting().catch((error: unknown) => log(`gaitlab serve: a call failed: ${String(error)}`));
  });
}

/**
 * An error as a client is told it: a run's files named from the run's id, never the runs folder's
 * absolute path (which says where the user keeps things, to any page holding the token); the log
 * keeps the whole message.
 */
export function clientError(message: string, runsDir: string): string {
  return message
    .split(runsDir + path.sep)
    .join('')
    .split(runsDir)
    .join('the runs folder');
}
