/**
 * The Electron shell of a lobby kiosk: one full-screen kiosk window on the host's kiosk page,
 * the print agent for the printer beside it, and — on a single-PC office — the host itself.
 *
 * Hardening, after the practice in shared NOTES: kiosk mode, context isolation, sandboxed
 * renderer without Node, navigation away from the kiosk page blocked, no new windows, one
 * instance, reload when the renderer crashes or hangs, crash dumps kept locally; systemd
 * restarts the whole shell if it exits. Audio plays without a gesture (spoken steps).
 */
import { app, BrowserWindow, crashReporter, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProfile } from '../drivers/printer/profile.ts';
import { PrintAgent } from '../drivers/printer/print-agent.ts';
import { SerialPrinter } from '../drivers/printer/serial.transport.ts';
import { readConfig } from '../host/config.ts';
import { createHost, type Host } from '../host/host.ts';
import { readShellConfig, type KioskShellConfigT } from './config.ts';
import { PAIRING_TOKEN_CHANNEL } from './ipc.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const RELOAD_DELAY_MS = 2000;

let config: KioskShellConfigT;
let host: Host | null = null;
let agent: PrintAgent | null = null;
let window: BrowserWindow | null = null;

function log(message: string): void {
  process.stdout.write(`fronta-kiosk: ${message}\n`);
}

async function startHostInProcess(c: NonNullable<KioskShellConfigT['singlePc']>): Promise<void> {
  const hostConfig = readConfig({ host: '127.0.0.1', port: String(c.port), data: c.dataDir }, process.env);
  host = await createHost(hostConfig);
  await host.app.listen({ host: hostConfig.host, port: hostConfig.port });
  log(`host running in-process on ${hostConfig.publicUrl}`);
}

async function startAgent(c: NonNullable<KioskShellConfigT['printer']>): Promise<void> {
  const profile = await loadProfile(c.profile);
  const printer = new SerialPrinter({ path: c.port, baudRate: c.baudRate, heartbeatMs: c.heartbeatMs, replyTimeoutMs: 800, confirmTimeoutMs: 3000 });
  agent = new PrintAgent({ hostUrl: config.hostUrl, token: config.token, printer, profile, log: (m) => log(`agent: ${m}`) });
  await agent.start();
}

function kioskUrl(): URL {
  return new URL('/kiosk', config.hostUrl);
}

function createWindow(): BrowserWindow {
  const origin = kioskUrl().origin;
  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: !app.isPackaged,
    },
  });
  // Only the host's own pages: a link in a service name or a typed URL leads nowhere.
  win.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('render-process-gone', (_event, details) => {
    log(`renderer gone (${details.reason}); reloading`);
    setTimeout(() => win.reload(), RELOAD_DELAY_MS);
  });
  win.on('unresponsive', () => {
    log('renderer unresponsive; reloading');
    win.webContents.forcefullyCrashRenderer();
    win.reload();
  });
  // The host may still be starting (power cut, both came up together): retry until it answers.
  win.webContents.on('did-fail-load', (_event, code, description) => {
    log(`kiosk page did not load (${code} ${description}); retrying`);
    setTimeout(() => void win.loadURL(kioskUrl().toString()), RELOAD_DELAY_MS);
  });
  void win.loadURL(kioskUrl().toString());
  return win;
}

async function main(): Promise<void> {
  crashReporter.start({ uploadToServer: false });
  app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => window?.focus());
  await app.whenReady();
  const file = process.env['FRONTA_KIOSK_CONFIG'] ?? join(app.getPath('userData'), 'fronta-kiosk.json');
  config = readShellConfig(file);
  // The page asks for nothing but the pairing token; no other permission is ever granted.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ipcMain.handle(PAIRING_TOKEN_CHANNEL, (event) => (new URL(event.senderFrame?.url ?? 'about:blank').origin === kioskUrl().origin ? config.token : null));
  if (config.singlePc !== undefined) await startHostInProcess(config.singlePc);
  if (config.printer !== undefined) await startAgent(config.printer);
  window = createWindow();
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void agent?.stop();
    void host?.close();
  });
}

main().catch((error: unknown) => {
  log(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  app.exit(1);
});
