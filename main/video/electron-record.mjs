// Electron's main process when `gaitlab record` renders with Electron instead of Chromium: one
// hidden offscreen window, which Playwright then drives like a Chromium page (browser.ts).
import { app, BrowserWindow } from 'electron';

app.whenReady().then(() => {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { offscreen: true, sandbox: true, contextIsolation: true },
  });
  window.loadURL('about:blank');
});
app.on('window-all-closed', () => app.quit());
