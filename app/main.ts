/**
 * Electron main: owns the Lab, opens the window, and wires the two through IPC. Thin on purpose:
 * training runs in utility processes, the UI is the same renderer serve mode serves, and every call
 * from the page is validated by the Lab's schemas (dispatchCall) before the Lab sees it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { Lab } from '../main/lab/lab.ts';
import { dispatchCall } from '../main/lab/dispatch.ts';
import { labSweeps } from '../main/sweep/lab-sweeps.ts';
import { IPC_CALL, IPC_EVENT } from './ipc-channels.ts';
import { APP_ORIGIN, APP_SCHEME, serveRenderer } from './renderer-protocol.ts';
import { utilityTrainer } from './utility-launcher.ts';
import { serveVideos, VIDEO_SCHEME, videoUrl } from './video-protocol.ts';

// Paths from the repository root, two folders up from this bundle (out/main/index.js).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER_DIR = path.join(ROOT, 'renderer', 'dist');
const PRELOAD = path.join(ROOT, 'out', 'preload', 'index.cjs');

// Electron takes its custom schemes in one call, before the app is ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME, VIDEO_SCHEME]);

const runsDir = process.env.GAITLAB_RUNS ?? path.join(app.getPath('documents'), 'GaitLab', 'runs');
const lab = new Lab({ runsDir, launcher: utilityTrainer, videoHost: { url: videoUrl, reveal: (file) => shell.showItemInFolder(file) }, sweeps: labSweeps });

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1480,
    height: 940,
    minWidth: 1024,
    minHeight: 680,
    title: 'GaitLab',
    backgroundColor: '#0d1016',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

/** The page may not navigate away or open windows; web links open in the user's browser. */
function lockDown(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function wireLab(): void {
  ipcMain.handle(IPC_CALL, (event, method: unknown, args: unknown) => {
    if (!event.senderFrame?.url.startsWith(`${APP_ORIGIN}/`)) return { ok: false, error: 'calls are accepted from the GaitLab window only' };
    return dispatchCall(lab, method, args);
  });
  lab.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT, event);
  });
}

// Quitting stops every trainer first (each writes a checkpoint), then exits.
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  void lab.close().finally(() => app.quit());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

void app.whenReady().then(() => {
  lockDown();
  serveRenderer(RENDERER_DIR);
  serveVideos(protocol, lab);
  wireLab();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
