/**
 * The only bridge between the kiosk page and the Electron shell: `window.frontaKiosk`, typed by
 * contracts/kiosk.ts. The page gets the device token once, to pair (the host turns it into an
 * HttpOnly cookie); nothing else of Node or Electron is reachable from the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { KioskBridge } from '../contracts/kiosk.ts';
import { PAIRING_TOKEN_CHANNEL } from './ipc.ts';

const bridge: KioskBridge = {
  pairingToken: () => ipcRenderer.invoke(PAIRING_TOKEN_CHANNEL) as Promise<string | null>,
  version: process.versions['electron'] ?? 'unknown',
};

contextBridge.exposeInMainWorld('frontaKiosk', bridge);
