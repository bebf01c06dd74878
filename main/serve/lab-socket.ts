/**
 * One browser's WebSocket to the Lab: calls in (validated by dispatchCall), replies and every Lab
 * event out. A client that falls behind skips training episodes, never metrics or status.
 */
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { LabCalls, LabEvent, WireServerFrame } from '../lab/api.ts';
import { dispatchCall } from '../lab/dispatch.ts';

const wireCallSchema = z.object({ id: z.number().int(), method: z.string(), args: z.array(z.unknown()) }).strict();

/** Bytes queued for a client beyond which episodes are not sent to it. */
const MAX_BUFFERED_BYTES = 4 << 20;

export function attachLabSocket(socket: WebSocket, lab: LabCalls & { subscribe(listener: (event: LabEvent) => void): () => void }): void {
  const send = (frame: WireServerFrame) => socket.send(JSON.stringify(frame));
  const unsubscribe = lab.subscribe((event) => {
    const isEpisode = event.type === 'trainer' && event.message.type === 'trajectory';
    if (isEpisode && socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
    send({ kind: 'event', event });
  });
  socket.on('close', unsubscribe);
  socket.on('message', async (data, isBinary) => {
    let call: z.infer<typeof wireCallSchema>;
    try {
      if (isBinary) throw new Error('binary frame');
      call = wireCallSchema.parse(JSON.parse(data.toString()));
    } catch {
      socket.close(1003, 'expected a JSON call {id, method, args}');
      return;
    }
    const result = await dispatchCall(lab, call.method, call.args);
    if (socket.readyState === socket.OPEN) send({ kind: 'reply', id: call.id, ...result });
  });
}
