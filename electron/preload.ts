/**
 * The preload bridge. It runs sandboxed with context isolation, and exposes
 * exactly one object: a pipe for API envelopes on one IPC channel each way.
 * It validates what the page sends, so a compromised page can do no more than
 * the typed API allows (the main process validates again).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, IPC_TO_MAIN, IPC_TO_RENDERER, type PinwheelBridge } from './common/api/bridge.js';
import { ClientMessage } from './common/api/wire.js';

const bridge: PinwheelBridge = {
  host: 'electron',
  send(message) {
    const parsed = ClientMessage.safeParse(message);
    if (!parsed.success) throw new TypeError('pinwheelBridge.send: not a Pinwheel API message');
    ipcRenderer.send(IPC_TO_MAIN, parsed.data);
  },
  onMessage(listener) {
    const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(IPC_TO_RENDERER, handler);
    return () => {
      ipcRenderer.off(IPC_TO_RENDERER, handler);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
