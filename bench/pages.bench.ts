import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensurePagesBuilt, launchBrowser, login, post, ROOT, seedOffice, startHost, tearDown, type RunningHost } from '../test/e2e/support.ts';
import { displayCallP99 } from './lib/display-call.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, percentile } from './lib/stats.ts';

/**
 * The pages as a browser sees them. Size: the gzipped JS each public page loads in one language
 * (its module script, its modulepreloads, their static imports, plus the one catalogue chunk it
 * fetches). Speed: a counter terminal in Chromium with 500 tickets waiting, timed from a live
 * event's arrival on the page's socket to the end of the DOM patch it causes.
 *
 * Each measurement is one entry of MEASUREMENTS: a scenario of its own figures, run in order.
 */

const WEB = join(ROOT, 'dist/web');
/** The language the sizes are measured in (the demo office's first language). */
const LANG = process.env['BENCH_LANG'] ?? 'cs';
const WAITING = 500;
const EVENTS_ROUNDS = 120;

interface Measurement {
  name: string;
  run: () => Promise<void>;
}

const MEASUREMENTS: Measurement[] = [
  { name: 'js_kb', run: jsSizes },
  { name: 'counter_render_ms', run: counterRender },
  { name: 'display_call_ms', run: async () => figure('pages.display_call_ms_p99', await displayCallP99(), 'ms') },
];

// ---------------------------------------------------------------- sizes

/** Where a page's built index.html lies (dist/web/renderer/<page>/, or at the top for a page served from there). */
function pageHtml(page: string): string {
  for (const p of [join(WEB, 'renderer', page, 'index.html'), join(WEB, page, 'index.html')]) if (existsSync(p)) return p;
  throw new Error(`no built page ${page} in ${WEB}`);
}

const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.js)["']/g;
const langChunk = (lang: string): RegExp => new RegExp(`import\\(\\s*[\`"'](\\./${lang.replace(/[-]/g, '\\-')}-[A-Za-z0-9_-]+\\.js)[\`"']`, 'g');

/** Every JS file (under dist/web/assets) a page loads in LANG, by its name. */
export function pageScripts(page: string, lang = LANG): Set<string> {
  const html = readFileSync(pageHtml(page), 'utf8');
  const entry = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  const follow = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(WEB, 'assets', file), 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) follow(m[1]!.slice(2));
  };
  for (const f of [...entry, ...preloads]) follow(f);
  // The catalogue a page fetches for its language (a dynamic import, one chunk per language).
  for (const f of [...seen]) for (const m of readFileSync(join(WEB, 'assets', f), 'utf8').matchAll(langChunk(lang))) follow(m[1]!.slice(2));
  return seen;
}

export function gzippedKb(files: Iterable<string>): number {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(join(WEB, 'assets', f)), { level: 9 }).length;
  return bytes / 1024;
}

async function jsSizes(): Promise<void> {
  ensurePagesBuilt();
  for (const page of ['kiosk', 'portal', 'display', 'counter', 'floor']) {
    const files = pageScripts(page);
    const kb = gzippedKb(files);
    note(`${page} (${LANG}): ${files.size} files: ${[...files].join(' ')}`);
    if (page === 'kiosk' || page === 'portal' || page === 'display') figure(`pages.${page}_js_kb`, kb, 'KB');
    else note(`${page}: ${kb.toFixed(1)} KB`);
  }
}

// ---------------------------------------------------------------- counter render

/**
 * Installed before the page's own scripts: every socket.io event packet the page's WebSocket
 * receives is timed from its arrival to the end of the microtasks it queued (where the page's
 * patch runs: lit-html's update is a microtask, the old pages rendered inside the handler).
 */
function timeSocketEvents(): void {
  const samples: number[] = [];
  (window as unknown as { __applyMs: number[] }).__applyMs = samples;
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get(this: WebSocket) {
      return desc.get!.call(this) as unknown;
    },
    set(this: WebSocket, fn: ((ev: MessageEvent) => void) | null) {
      desc.set!.call(
        this,
        fn === null
          ? null
          : function (this: WebSocket, ev: MessageEvent) {
              const isEvent = typeof ev.data === 'string' && ev.data.startsWith('42');
              const t0 = performance.now();
              fn.call(this, ev);
              if (isEvent) queueMicrotask(() => queueMicrotask(() => samples.push(performance.now() - t0)));
            },
      );
    },
  });
}

async function counterRender(): Promise<void> {
  ensurePagesBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'fronta-bench-pages-'));
  const seeded = await seedOffice(dir);
  let host: RunningHost | undefined;
  const browser = await launchBrowser();
  try {
    host = await startHost(dir);
    const base = host.url;
    const kiosk = { authorization: `Bearer ${seeded.kioskToken}` };
    const services = ['cashier', 'vehicles', 'id-cards'];
    for (let i = 0; i < WAITING; i += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, k) => post(base, '/api/v1/tickets', kiosk, { serviceId: services[(i + k) % 3] })));
    }
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
    await ctx.addInitScript(timeSocketEvents);
    const cookie = await login(base, 'clerk1');
    const [name, value] = cookie.split('=') as [string, string];
    await ctx.addCookies([{ name, value, url: base }]);
    const page = await ctx.newPage();
    await page.goto(`${base}/renderer/counter/`);
    await page.waitForSelector('.picker');
    await page.keyboard.press('1');
    await page.waitForSelector('#act-n:not([disabled])');
    // Let socket.io upgrade from polling to its WebSocket before timing.
    await new Promise((r) => setTimeout(r, 1500));
    await page.evaluate(() => ((window as unknown as { __applyMs: number[] }).__applyMs.length = 0));
    // Another clerk calls and finishes, the kiosk issues: each a few live events on this page.
    const clerk2 = { cookie: await login(base, 'clerk2') };
    await post(base, '/api/v1/counters/c2/open', clerk2);
    for (let i = 0; i < EVENTS_ROUNDS; i++) {
      await post(base, '/api/v1/counters/c2/call-next', clerk2);
      await post(base, '/api/v1/tickets', kiosk, { serviceId: services[i % 3] });
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 500));
    const samples = await page.evaluate(() => [...(window as unknown as { __applyMs: number[] }).__applyMs]);
    const waiting = await page.evaluate(() => document.querySelector('[data-testid="waiting-list"]')?.textContent?.length ?? 0);
    if (samples.length < EVENTS_ROUNDS) throw new Error(`only ${samples.length} live events timed`);
    note(`counter: ${samples.length} live events applied with ${WAITING} waiting; median ${median(samples).toFixed(2)} ms, max ${Math.max(...samples).toFixed(2)} ms (waiting list ${waiting} chars)`);
    figure('pages.counter_render_ms_p99', percentile(samples, 99), 'ms');
  } finally {
    await tearDown({ browser, host, dir });
  }
}

export const scenario: Scenario = {
  name: 'pages',
  description: 'the pages in a browser: gzipped JS per page in one language; a counter with 500 waiting applying one live event (Chromium)',
  async run() {
    for (const m of MEASUREMENTS) await m.run();
  },
};
