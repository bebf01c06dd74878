/** IPC channel names shared by main and the preload. */
export const IPC_CALL = 'gaitlab:call';
export const IPC_EVENT = 'gaitlab:event';
