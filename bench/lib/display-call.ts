/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launchBrowser, login, post, seedOffice, startHost, tearDown, type RunningHost } from '../../test/e2e/support.ts';
import { percentile } from './stats.ts';

/**
 * From a clerk's call-next to the hall screen, in Chromium: a real host process (`fronta serve`,
 * its built pages), one display paired and showing `/display/`, clerks at four counters calling
 * one ticket every `gapMs`. A sample = the moment the call-next answer reaches the clerk's client
 * → the first frame the display paints with that number large (a MutationObserver notes the
 * number, the next animation frame stamps it). Both clocks are the machine's wall clock with
 * sub-millisecond resolution (performance.timeOrigin + now()). A display faster than the HTTP
 * answer counts 0. Answers the p99 in ms; prints nothing. Needs the pages built (`vite build`).
 */
export async function displayCallP99(opts: { calls?: number; gapMs?: number } = {}): Promise<number> {
  const calls = opts.calls ?? 50;
  const gapMs = opts.gapMs ?? 150;
  const dir = mkdtempSync(join(tmpdir(), 'fronta-bench-display-'));
  let host: RunningHost | undefined;
  const browser = await launchBrowser();
  try {
    const seeded = await seedOffice(dir);
    host = await startHost(dir);
    const base = host.url;
    const kiosk = { authorization: `Bearer ${seeded.kioskToken}` };
    // c1 serves the cashier, c2 id cards and the cashier, c3 id cards, c4 vehicles (the demo office).
    const perService = Math.ceil(calls / 4) + 2;
    for (let i = 0; i < perService; i++) {
      for (const serviceId of ['cashier', 'cashier', 'id-cards', 'id-cards', 'vehicles']) await post(base, '/api/v1/tickets', kiosk, { serviceId });
    }
    const cookies: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const cookie = await login(base, `clerk${n}`);
      await post(base, `/api/v1/counters/c${n}/open`, { cookie });
      cookies.push(cookie);
    }

    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const paired = await ctx.request.post(`${base}/api/v1/devices/pair`, { headers: { authorization: `Bearer ${seeded.displayToken}` } });
    if (paired.status() !== 200) throw new Error(`display pairing: ${paired.status()}`);
    const page = await ctx.newPage();
    const res = await page.goto(`${base}/display/`);
    if (res?.status() !== 200) throw new Error(`/display/ answered ${String(res?.status())}: are the pages built?`);
    await page.waitForSelector('.screen');
    await page.evaluate(() => {
      const shown = new Map<string, number>();
      (window as unknown as { shownAt: Map<string, number> }).shownAt = shown;
      new MutationObserver(() => {
        const n = document.querySelector('#now-call .number')?.textContent ?? null;
        if (n === null || shown.has(n)) return;
        shown.set(n, -1);
        requestAnimationFrame(() => shown.set(n, performance.timeOrigin + performance.now()));
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const answered: { number: string; at: number }[] = [];
    for (let i = 0; i < calls; i++) {
      const t0 = Date.now();
      const r = await post(base, `/api/v1/counters/c${(i % 4) + 1}/call-next`, { cookie: cookies[i % 4]! });
      const at = performance.timeOrigin + performance.now();
      if (r.status !== 200) throw new Error(`call-next: ${r.status} ${JSON.stringify(r.json)}`);
      answered.push({ number: r.json.ticket.number as string, at });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, gapMs - (Date.now() - t0))));
    }
    const last = answered.at(-1)!.number;
    await page.waitForFunction((n) => ((window as unknown as { shownAt: Map<string, number> }).shownAt.get(n) ?? -1) > 0, last, { timeout: 10_000 });
    const shownAt = new Map(await page.evaluate(() => [...(window as unknown as { shownAt: Map<string, number> }).shownAt]));
    const samples = answered.map((a) => {
      const s = shownAt.get(a.number);
      if (s === undefined || s < 0) throw new Error(`${a.number} never appeared large on the display`);
      return Math.max(0, s - a.at);
    });
    return percentile(samples, 99);
  } finally {
    await tearDown({ browser, host, dir });
  }
}
