/**
 * The only bridge between the sandboxed renderer and main: one typed LabApi as `window.gaitlab`.
 * Calls go to main over IPC, where their arguments are validated; events come back the same way.
 * No Node and no Electron object reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createLabClient, type CallResult, type LabEvent } from '../main/lab/api.ts';
import { IPC_CALL, IPC_EVENT } from './ipc-channels.ts';

const api = createLabClient({
  call: (method, args) => ipcRenderer.invoke(IPC_CALL, method, args) as Promise<CallResult>,
  subscribe: (listener) => {
    const forward = (_event: IpcRendererEvent, event: LabEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => ipcRenderer.removeListener(IPC_EVENT, forward);
  },
});

contextBridge.exposeInMainWorld('gaitlab', api);
