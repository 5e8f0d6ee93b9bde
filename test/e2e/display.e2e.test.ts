/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cs from '../../locales/cs.json' with { type: 'json' };
import { axeWcag21aa, launchBrowserWithoutAutoplay, openCounters, pairDisplay, shownNumber } from './display-support.ts';
import { ensurePagesBuilt, post, SCREENSHOTS, seedOffice, startHost, tearDown, type RunningHost, type Seeded } from './support.ts';

/**
 * The hall display in a Chromium started WITHOUT the autoplay flag, as a TV comes up after a
 * power cut when nobody set it: the calls show with no tap, the voice keeps up with the screen
 * in a burst, a recall is a recall, and the rows are legible across a hall.
 */

let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;
let ctx: BrowserContext;
let hall: Page;
let cookies: Record<string, string>;

const callNext = async (counter: string): Promise<string> => {
  const r = await post(host.url, `/api/v1/counters/${counter}/call-next`, { cookie: cookies[counter]! });
  expect(r.status).toBe(200);
  return r.json.ticket.number as string;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What the voice did, in the page's log: spoken (voice, muted…) or skipped, and how far behind the screen it started. */
const announced = (page: Page): Promise<{ eventId: number; number: string; how: string; behind: number }[]> =>
  page.$$eval('#announced li', (lis) =>
    lis.map((li) => {
      const d = (li as HTMLElement).dataset;
      return { eventId: Number(d['eventId']), number: (li.textContent ?? '').split(' → ')[0]!, how: d['how'] ?? '', behind: Number(d['behind']) };
    }),
  );

/** Height of the ink of each element's text (canvas metrics in the element's own font), in CSS px. */
const inkHeights = (page: Page, selector: string): Promise<number[]> =>
  page.$$eval(selector, (els) => {
    const g = document.createElement('canvas').getContext('2d')!;
    return els.map((el) => {
      const st = getComputedStyle(el);
      g.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
      const m = g.measureText(el.textContent ?? '');
      return m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
    });
  });

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-display-e2e-'));
  seeded = await seedOffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowserWithoutAutoplay()]);
  const kiosk = { authorization: `Bearer ${seeded.kioskToken}` };
  for (let i = 0; i < 12; i++) for (const serviceId of ['cashier', 'id-cards', 'vehicles']) await post(host.url, '/api/v1/tickets', kiosk, { serviceId });
  cookies = await openCounters(host.url);
  ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await pairDisplay(ctx, host.url, seeded.displayToken);
  hall = await ctx.newPage();
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the hall display without the autoplay flag', () => {
  it('reloaded, it shows the next call with no tap at all, says discreetly that sound is off, and stops saying so once a tap switches it on', async () => {
    await hall.goto(`${host.url}/display/`);
    await hall.waitForSelector('.screen');
    await hall.reload();
    await hall.waitForSelector('.screen', { timeout: 5000 });
    const number = await callNext('c1');
    await hall.waitForFunction((n) => document.querySelector('#now-call .number')?.textContent === n, number, { timeout: 2000, polling: 20 });
    expect(await hall.isVisible('#sound')).toBe(true);
    expect(await hall.textContent('#sound')).toContain(cs.display.soundOff);
    // The voice could not play, yet its turn was taken and logged: it does not pile up for later.
    await hall.waitForFunction(() => document.querySelector('#announced li')?.getAttribute('data-how') === 'muted');
    await hall.mouse.click(960, 540);
    await hall.waitForSelector('#sound', { state: 'detached', timeout: 2000 });
  });

  it('keeps the address paired TVs were set up with: /display (and its query) leads to /display/', async () => {
    const res = await fetch(`${host.url}/display?lang=cs&voice=cs`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/display/?lang=cs&voice=cs');
    const page = await fetch(`${host.url}/display/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
  });

  it('10 calls in 2 s: the screen holds the latest 9 in order and the voice never starts more than one call behind', async () => {
    const before = (await announced(hall)).length;
    const counters = ['c1', 'c2', 'c3', 'c4'];
    const called: string[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      called.push(await callNext(counters[i % 4]!));
      await sleep(Math.max(0, 200 - (Date.now() - t0)));
    }
    // Screen first: it is the truth, at once.
    await hall.waitForFunction((n) => document.querySelector('#now-call .number')?.textContent === n, called[9], { timeout: 2000 });
    await hall.waitForFunction((n) => document.querySelectorAll('#last-calls li').length === 8 && document.querySelector('#last-calls li .number')?.textContent === n, called[8]);
    const listed = await hall.$$eval('#last-calls li .number', (l) => l.map((x) => x.textContent));
    expect(listed).toEqual(called.slice(1, 9).reverse());

    // The voice: every call accounted for once, spoken or skipped as stale; each start at most one behind.
    await hall.waitForFunction((n) => document.querySelectorAll('#announced li').length >= n, before + 10, { timeout: 30_000 });
    const done = (await announced(hall)).slice(before);
    expect(done.map((a) => a.number).sort()).toEqual([...called].sort());
    const spoken = done.filter((a) => a.how !== 'skipped');
    expect(spoken.length).toBeGreaterThan(0);
    for (const a of spoken) expect(a.behind, `${a.number} started ${a.behind} calls behind`).toBeGreaterThanOrEqual(0);
    for (const a of spoken) expect(a.behind, `${a.number} started ${a.behind} calls behind`).toBeLessThanOrEqual(1);
    expect(spoken.every((a) => a.how === 'voice')).toBe(true);
    const ids = spoken.map((a) => a.eventId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(spoken.at(-1)?.number).toBe(called[9]); // the newest call is always heard
  });

  it('with four voice languages, a newer call cuts the one being spoken after its current language', async () => {
    const four = await ctx.newPage();
    await four.goto(`${host.url}/display/?voice=cs,en,ro,zh-CN`);
    await four.waitForSelector('.screen');
    await four.mouse.click(960, 540); // sound on
    await four.waitForSelector('#sound', { state: 'detached' });
    await callNext('c2');
    await four.waitForSelector('.now.flash');
    await sleep(300);
    const t0 = Date.now();
    const newer = await callNext('c3');
    // All four languages take ~12 s; the gong and one language ~4 s. Then the newer call starts.
    await four.waitForFunction((n) => document.querySelector('.now.flash #now-call .number')?.textContent === n, newer, { timeout: 8000, polling: 50 });
    expect(Date.now() - t0).toBeLessThan(8000);
    await four.close();
  });

  it('at 1920×1080 the 9 calls fit and the history rows’ text is at least 63 px high; the waiting counts stay legible', async () => {
    const rows = await inkHeights(hall, '#last-calls li .number');
    expect(rows).toHaveLength(8);
    for (const h of rows) expect(h).toBeGreaterThanOrEqual(63);
    const counts = await inkHeights(hall, '.waiting .count');
    expect(counts).toHaveLength(3);
    for (const h of counts) expect(h).toBeGreaterThanOrEqual(45);
    const fit = await hall.evaluate(() => {
      const box = document.querySelector('.history')!.getBoundingClientRect();
      const lis = [...document.querySelectorAll('#last-calls li')].map((li) => li.getBoundingClientRect());
      const call = document.querySelector('#now-call')!.getBoundingClientRect();
      const now = document.querySelector('.now')!.getBoundingClientRect();
      const waiting = [...document.querySelectorAll('.waiting li')].map((li) => li.getBoundingClientRect());
      return {
        rowsInside: lis.every((r) => r.top >= box.top && r.bottom <= box.bottom + 0.5 && r.right <= box.right),
        callInside: call.left >= now.left && call.right <= now.right,
        countsOnScreen: waiting.every((r) => r.bottom <= innerHeight && r.right <= innerWidth),
        noScroll: document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth,
      };
    });
    expect(fit).toEqual({ rowsInside: true, callInside: true, countsOnScreen: true, noScroll: true });
  });

  it('a recall is shown as a recall: the ticket comes back to the top, marked, and is listed once', async () => {
    const first = await callNext('c1');
    const second = await callNext('c4');
    await hall.waitForFunction((n) => document.querySelector('#now-call .number')?.textContent === n, second);
    const r = await post(host.url, '/api/v1/counters/c1/recall', { cookie: cookies['c1']! });
    expect(r.status).toBe(200);
    await hall.waitForFunction((n) => document.querySelector('#now-call .number')?.textContent === n, first, { timeout: 2000 });
    expect(await hall.textContent('.now .recall')).toContain(cs.display.recall);
    const numbers = [await shownNumber(hall), ...(await hall.$$eval('#last-calls li .number', (l) => l.map((x) => x.textContent)))];
    expect(numbers.filter((n) => n === first)).toHaveLength(1);
    expect(numbers[1]).toBe(second);
  });

  it('is clean for axe-core’s WCAG 2.1 AA rules in Czech and Chinese (screenshots of both), and so is its pairing form, whose tap also switches sound on', async () => {
    expect(await axeWcag21aa(hall)).toEqual([]);
    await hall.screenshot({ path: join(SCREENSHOTS, 'display-hall-cs.png') });
    const zh = await ctx.newPage();
    await zh.goto(`${host.url}/display/?lang=zh-CN`);
    await zh.waitForSelector('#now-call');
    expect(await zh.isVisible('#sound')).toBe(true); // a page nobody tapped yet
    expect(await axeWcag21aa(zh)).toEqual([]);
    await zh.screenshot({ path: join(SCREENSHOTS, 'display-hall-zh-CN.png') });
    await zh.close();

    const fresh = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'cs-CZ' });
    const pairing = await fresh.newPage();
    await pairing.goto(`${host.url}/display/`);
    await pairing.waitForSelector('#token');
    expect(await axeWcag21aa(pairing)).toEqual([]);
    await pairing.screenshot({ path: join(SCREENSHOTS, 'display-pairing-cs.png') });
    // The tap that pairs is the tap that switches sound on: the hall comes up with no notice.
    await pairing.fill('#token', seeded.displayToken);
    await pairing.click('.pairing button[type=submit]');
    await pairing.waitForSelector('.screen');
    await pairing.waitForSelector('#sound', { state: 'detached', timeout: 2000 });
    await fresh.close();
  });
});
