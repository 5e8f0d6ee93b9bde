import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { demoOffice } from '../../host/demo.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { SqliteAccessStore } from '../../store/access.store.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase } from '../../store/database.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');
export const PASSWORD = 'correct horse battery';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** Pages every e2e suite may open: a build missing any of them (an older checkout's) is redone. */
const BUILT_PAGES = ['display', 'counter', 'kiosk', 'portal', 'floor', 'ticket', 'backoffice'].map((p) => `dist/web/renderer/${p}/index.html`);

/** The pages are served from dist/web: build them once if this checkout has not (npm test does it in pretest). */
export function ensurePagesBuilt(): void {
  if (BUILT_PAGES.every((p) => existsSync(join(ROOT, p)))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Seeded {
  displayToken: string;
  kioskToken: string;
}

/** The demo office (4 counters, 3 services, open all day) with clerk1..clerk4, a supervisor, a kiosk and a display. */
export async function seedOffice(dataDir: string): Promise<Seeded> {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'fronta.db'));
  try {
    const config = demoOffice();
    saveOfficeConfig(db, config);
    const access = new SqliteAccessStore(db);
    let n = 0;
    const deps = { clock: { now: () => Date.now() }, ids: { ticketId: () => `e2e${++n}`, entityId: (p: string) => `${p}_e2e${++n}` } };
    for (const [username, role] of [['clerk1', 'clerk'], ['clerk2', 'clerk'], ['clerk3', 'clerk'], ['clerk4', 'clerk'], ['boss', 'supervisor']] as const) {
      await createUser(access, deps, { officeId: 'demo', username, password: PASSWORD, role, displayName: username, passwordCostLog2: 10 });
    }
    return {
      displayToken: (await createDevice(access, deps, { officeId: 'demo', kind: 'display', name: 'Hall display' })).token,
      kioskToken: (await createDevice(access, deps, { officeId: 'demo', kind: 'kiosk', name: 'Hall kiosk' })).token,
    };
  } finally {
    db.close();
  }
}

export interface RunningHost {
  proc: ChildProcess;
  port: number;
  url: string;
  output: () => string;
}

/**
 * A real host process (`fronta serve --demo`: the demo office when the folder is empty, and the
 * /demo pages the suites read) on 127.0.0.1; port 0 the first time, then the same port
 * again. `env` adds variables (e.g. FRONTA_FAKE_CLOCK for a host on a test clock); `demo: false`
 * starts it as an office's own install does (plain `fronta serve`).
 */
export function startHost(dataDir: string, port = 0, env: Record<string, string> = {}, opts: { demo?: boolean } = {}): Promise<RunningHost> {
  const demo = (opts.demo ?? true) ? ['--demo'] : [];
  const proc = spawn(process.execPath, [join(ROOT, 'bin/fronta.js'), 'serve', ...demo, '--host', '127.0.0.1', '--port', String(port), '--data', dataDir, '--log-level', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        const p = Number(m[1]);
        resolve({ proc, port: p, url: `http://127.0.0.1:${p}`, output: () => out });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${out}`));
    });
  });
}

/** SIGKILL: the host dies the way a power cut or a crash kills it, with no goodbye to its clients. */
export async function killHost(host: RunningHost): Promise<void> {
  if (host.proc.exitCode !== null) return;
  const gone = new Promise((r) => host.proc.once('exit', r));
  host.proc.kill('SIGKILL');
  await gone;
}

/** After a suite: the browser closed, the host killed, its data folder gone (whichever were started). */
export async function tearDown(parts: { browser?: Browser | undefined; host?: RunningHost | undefined; dir?: string | undefined }): Promise<void> {
  await parts.browser?.close();
  if (parts.host !== undefined) await killHost(parts.host);
  if (parts.dir !== undefined) rmSync(parts.dir, { recursive: true, force: true });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Staff session over plain HTTP (for driving counters fast, beside the pages). */
export async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('fronta_session='));
  if (set === undefined) throw new Error(`login ${username}: ${res.status}`);
  return set.split(';')[0]!;
}

export async function post(base: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

/** Moves the clock of a host started with FRONTA_FAKE_CLOCK (loopback only); returns its new time. */
export async function setHostClock(base: string, at: number): Promise<number> {
  const res = await fetch(`${base}/test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at }) });
  if (res.status !== 200) throw new Error(`test clock: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { now: number }).now;
}
