/**
 * Serve mode (`gaitlab serve`, and `npm start` without Electron): the built renderer and the LabApi
 * over a WebSocket, and the runs' videos, on 127.0.0.1 only, behind a random per-start token (see
 * access.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { Lab } from '../lab/lab.ts';
import { forkTrainer } from '../lab/fork-launcher.ts';
import type { TrainerLauncher } from '../lab/trainer-launcher.ts';
import { Access } from './access.ts';
import { attachLabSocket } from './lab-socket.ts';
import { RENDERER_DIST, sendText, serveStatic } from '../static/static-files.ts';
import { VIDEO_ROUTE, videoPath } from './video-reply.ts';
import { serveVideo } from './video-route.ts';
import { labSweeps } from '../sweep/lab-sweeps.ts';

export interface ServerOptions {
  /** 0: any free port. */
  port: number;
  runsDir: string;
  /** The built renderer (default renderer/dist). */
  rendererDir?: string;
  /** How trainers start (default: Node child processes). */
  launcher?: TrainerLauncher;
}

export interface LabServer {
  /** The address to open, token included. */
  url: string;
  port: number;
  token: string;
  lab: Lab;
  /** Stops the sweeps and trainers (each checkpoints), then the server. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** The largest WebSocket message a client may send. */
const MAX_CALL_BYTES = 1 << 20;

export async function startServer(options: ServerOptions): Promise<LabServer> {
  const rendererDir = path.resolve(options.rendererDir ?? RENDERER_DIST);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`the UI is not built (no ${path.join(rendererDir, 'index.html')}): run \`npm run build:renderer\``);
  }
  // The page streams a video from this server, by the cookie set with the page (video-route.ts); a
  // browser tab cannot open the file manager, so there is no reveal.
  const lab = new Lab({ runsDir: options.runsDir, launcher: options.launcher ?? forkTrainer, videoHost: { url: videoPath }, sweeps: labSweeps });
  const http = createServer();
  const port = await listen(http, options.port);
  const access = new Access(port);
  const sockets = new WebSocketServer({
    noServer: true,
    // A call is a few hundred bytes; a bigger message is refused (1009) before it is buffered.
    maxPayload: MAX_CALL_BYTES,
    // No compression: the page's messages are small, and inflating a client's frames costs memory.
    perMessageDeflate: false,
  });

  http.on('request', (request, response) => {
    if (!access.allowsRequest(request)) {
      return sendText(response, 403, 'GaitLab: this address needs its token. Open the address `gaitlab serve` printed.');
    }
    if (new URL(request.url ?? '/', 'http://x').pathname.startsWith(VIDEO_ROUTE)) return serveVideo(lab, request, response);
    serveStatic(rendererDir, request, response, { 'Set-Cookie': access.cookie() });
  });
  http.on('upgrade', (request, socket, head) => {
    // Until ws takes the socket (and after a refusal) nothing else listens for its errors: a reset would throw.
    const onError = (error: Error) => console.error(`gaitlab serve: a WebSocket connection failed: ${error.message}`);
    socket.on('error', onError);
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/lab' || !access.allowsSocket(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', onError); // ws listens now
      attachLabSocket(ws, lab, { runsDir: lab.store.root });
    });
  });

  return {
    url: `http://${HOST}:${port}/?token=${access.token}`,
    port,
    token: access.token,
    lab,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await lab.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
