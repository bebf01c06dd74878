/**
 * The LabApi's transport in a browser (serve mode): one WebSocket to the page's own server, the
 * token taken from the page's address. Calls made while (re)connecting wait for the socket.
 */
import type { CallResult, LabEvent, LabMethod, LabTransport, WireCall, WireServerFrame } from '../../../main/lab/api.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

const RETRY_MS = [500, 1000, 2000, 5000];

export function webSocketTransport(url: string, onState: (state: ConnectionState) => void): LabTransport {
  const listeners = new Set<(event: LabEvent) => void>();
  const pending = new Map<number, (result: CallResult) => void>();
  const queue: WireCall[] = [];
  let socket: WebSocket;
  let nextId = 1;
  let failures = 0;

  const connect = () => {
    onState('connecting');
    socket = new WebSocket(url);
    socket.onopen = () => {
      failures = 0;
      onState('open');
      for (const call of queue.splice(0)) socket.send(JSON.stringify(call));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data as string) as WireServerFrame;
      if (frame.kind === 'event') {
        for (const listener of listeners) listener(frame.event);
        return;
      }
      const { kind: _kind, id, ...result } = frame;
      pending.get(id)?.(result as CallResult);
      pending.delete(id);
    };
    socket.onclose = () => {
      onState('closed');
      // Calls sent and not answered are lost with the socket; queued ones go out on the next.
      for (const [id, resolve] of pending) {
        if (queue.some((call) => call.id === id)) continue;
        pending.delete(id);
        resolve({ ok: false, error: 'the connection to GaitLab was lost' });
      }
      setTimeout(connect, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
    };
  };
  connect();

  return {
    call: (method: LabMethod, args: unknown[]) =>
      new Promise<CallResult>((resolve) => {
        const call: WireCall = { id: nextId++, method, args };
        pending.set(call.id, resolve);
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(call));
        else queue.push(call);
      }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
