/**
 * The one LabApi the UI uses: the Electron preload's (window.gaitlab) in the app, otherwise a
 * WebSocket to the server that served this page.
 */
import { createLabClient, type LabApi } from '../../../main/lab/api.ts';
import { webSocketTransport, type ConnectionState } from './ws-transport.ts';

declare global {
  interface Window {
    gaitlab?: LabApi;
  }
}

export type { ConnectionState };

export function connectLab(onState: (state: ConnectionState) => void): LabApi {
  if (window.gaitlab) {
    onState('open');
    return window.gaitlab;
  }
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/lab?token=${encodeURIComponent(token)}`;
  return createLabClient(webSocketTransport(url, onState));
}
