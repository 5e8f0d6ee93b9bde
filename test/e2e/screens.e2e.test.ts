/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensurePagesBuilt,
  killHost,
  launchBrowser,
  login,
  PASSWORD,
  post,
  SCREENSHOTS,
  seedOffice,
  startHost,
  type RunningHost,
  type Seeded,
  tearDown,
} from './support.ts';

/**
 * The counter terminal and the hall display in Chromium against a real host process: a call
 * reaches the display within a second and is announced; in a burst the voice keeps up with the
 * screen; the host dies and comes back and both pages catch up without a reload.
 */

let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;
let displayCtx: BrowserContext;
let display: Page;
let counterCtx: BrowserContext;
let counter: Page;
const voiceRequests: string[] = [];

const kiosk = () => ({ authorization: `Bearer ${seeded.kioskToken}` });
const issue = (serviceId: string) => post(host.url, '/api/v1/tickets', kiosk(), { serviceId });

/** Announcements the display has finished or skipped, in that order; `behind`: calls on screen newer than it when it started. */
const announced = (): Promise<{ eventId: number; text: string; how: string; behind: number }[]> =>
  display.$$eval('#announced li', (lis) =>
    lis.map((li) => {
      const d = (li as HTMLElement).dataset;
      return { eventId: Number(d['eventId']), text: li.textContent ?? '', how: d['how'] ?? '', behind: Number(d['behind']) };
    }),
  );

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-e2e-'));
  seeded = await seedOffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  for (let i = 0; i < 12; i++) {
    await issue('cashier');
    await issue('id-cards');
    if (i < 6) await issue('vehicles');
  }

  // The hall display: paired once through its pairing screen (the tap also unlocks sound).
  displayCtx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  display = await displayCtx.newPage();
  display.on('request', (r: Request) => {
    if (r.url().includes('/api/v1/announcements/voice')) voiceRequests.push(new URL(r.url()).searchParams.get('number') ?? '');
  });
  // One voice (English) at 16× speed keeps the burst test short; the order logic is the same.
  await display.goto(`${host.url}/display/?voice=en&rate=16`);
  await display.fill('#token', seeded.displayToken);
  await display.click('.pairing button[type=submit]');
  await display.waitForSelector('.screen');

  // The counter terminal: signed in by form, counter 1 chosen.
  counterCtx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
  counter = await counterCtx.newPage();
  await counter.goto(`${host.url}/renderer/counter/`);
  await counter.fill('#username', 'clerk1');
  await counter.fill('#password', PASSWORD);
  await counter.click('form.login button');
  await counter.click('.picker button >> nth=0');
  await counter.waitForSelector('#act-n:not([disabled])');
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('counter terminal and hall display', () => {
  it('Call next shows the number on the display within 1 s and asks for its announcement', async () => {
    const voice = display.waitForResponse((r) => r.url().includes('/api/v1/announcements/voice') && r.url().includes('number=P001'));
    const t0 = Date.now();
    await counter.click('#act-n');
    await display.waitForFunction(() => document.querySelector('#now-call .number')?.textContent === 'P001', undefined, { timeout: 1000, polling: 20 });
    const shownAfter = Date.now() - t0;
    expect(shownAfter).toBeLessThan(1000);
    await expect(counter.textContent('#current-number')).resolves.toBe('P001');
    expect(await display.textContent('#now-call .counter')).toBe('1');
    const res = await voice;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('audio/wav');
    await display.waitForFunction(() => document.querySelectorAll('#announced li').length === 1);
    expect((await announced())[0]).toMatchObject({ text: 'P001 → 1', how: 'voice' });
  });

  it('20 quick calls from 4 counters: the voice keeps up with the screen — in call order, stale calls skipped, the newest always heard', async () => {
    const cookies = await Promise.all(['clerk1', 'clerk2', 'clerk3', 'clerk4'].map((u) => login(host.url, u)));
    const counters = ['c1', 'c2', 'c3', 'c4'];
    await Promise.all(counters.slice(1).map((c, i) => post(host.url, `/api/v1/counters/${c}/open`, { cookie: cookies[i + 1]! })));
    const called: string[] = [];
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(counters.map((c, i) => post(host.url, `/api/v1/counters/${c}/call-next`, { cookie: cookies[i]! })));
      for (const a of answers) {
        expect(a.status).toBe(200);
        called.push(a.json.ticket.number);
      }
    }
    expect(new Set(called).size).toBe(20);
    // Every call is accounted for once: spoken, or skipped because a newer one was waiting.
    await display.waitForFunction(() => document.querySelectorAll('#announced li').length === 21, undefined, { timeout: 30_000 });
    const done = (await announced()).slice(1);
    expect(new Set(done.map((a) => a.eventId)).size).toBe(20);
    expect(done.map((a) => a.text.split(' → ')[0]).sort()).toEqual([...called].sort()); // none lost silently
    const spoken = done.filter((a) => a.how !== 'skipped');
    const ids = spoken.map((a) => a.eventId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids); // in call order
    expect(spoken.every((a) => a.how === 'voice')).toBe(true);
    expect(spoken.every((a) => a.behind === 0 || a.behind === 1)).toBe(true); // never more than one call behind the screen
    expect(ids.at(-1)).toBe(Math.max(...done.map((a) => a.eventId))); // the newest call is always heard
    expect(voiceRequests).toHaveLength(21);
    // The screen: the newest large, the 8 before it below.
    expect(await display.$$eval('#last-calls li', (l) => l.length)).toBe(8);
  });

  it('screenshots: display landscape, portrait and in Chinese; counter page', async () => {
    await display.screenshot({ path: join(SCREENSHOTS, 'display-landscape.png') });
    await display.setViewportSize({ width: 1080, height: 1920 });
    await display.screenshot({ path: join(SCREENSHOTS, 'display-portrait.png') });
    await display.setViewportSize({ width: 1920, height: 1080 });
    const zh = await displayCtx.newPage();
    await zh.goto(`${host.url}/display/?lang=zh-CN&voice=en&rate=16`);
    await zh.waitForSelector('#now-call');
    await zh.screenshot({ path: join(SCREENSHOTS, 'display-zh-CN.png') });
    expect(await zh.textContent('.history h2')).toBe('最近呼叫');
    await zh.close();
    await counter.reload(); // reload-proof: the counter and its ticket come back from the host
    await counter.waitForSelector('#current-number');
    await counter.screenshot({ path: join(SCREENSHOTS, 'counter.png') });
  });

  it('the counter page works with the keyboard alone', async () => {
    for (let i = 0; i < 4; i++) await issue('id-cards');
    const clerk3 = await login(host.url, 'clerk3');
    await post(host.url, '/api/v1/counters/c3/finish', { cookie: clerk3 });
    expect((await post(host.url, '/api/v1/counters/c3/close', { cookie: clerk3 })).status).toBe(200);

    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
    const page = await ctx.newPage();
    await page.goto(`${host.url}/renderer/counter/`);
    await page.waitForSelector('#username:focus');
    await page.keyboard.type('boss');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.picker');
    await page.keyboard.press('3');
    await page.waitForSelector('#act-n:not([disabled])');
    expect(await page.textContent('header h1')).toBe('Counter 3');

    const number = async (): Promise<string | null> => ((await page.$('#current-number')) === null ? null : page.textContent('#current-number'));
    const stateText = (): Promise<string | null> => page.textContent('.current .state');
    // A clerk presses a key once its button is lit (keys are ignored while an action is on its way).
    const press = async (key: string): Promise<void> => {
      await page.waitForSelector(`#act-${key}:not([disabled])`);
      await page.keyboard.press(key);
    };
    await press('n');
    await page.waitForSelector('#current-number');
    const first = await number();
    expect(await stateText()).toBe('called');
    await press('r');
    await page.waitForFunction(() => document.querySelector('.current .facts')?.textContent?.includes('recalled once'));
    await press('s');
    await page.waitForFunction(() => document.querySelector('.current .state')?.textContent === 'being served');
    await press('p');
    await page.waitForFunction(() => document.querySelector('#current-number') === null && document.querySelector('.parked button') !== null);
    await press('b');
    await page.waitForFunction(() => document.querySelector('.parked button') === null);
    await press('n');
    await page.waitForSelector('#current-number');
    expect(await number()).toBe(first); // back ahead of the line with its arrival time
    await press('t');
    await page.waitForSelector('dialog');
    await page.keyboard.press('1');
    await page.waitForFunction(() => document.querySelector('dialog') === null && document.querySelector('#current-number') === null);
    await press('z');
    await page.waitForSelector('.current .paused');
    expect(await page.isDisabled('#act-n')).toBe(true);
    await press('z');
    await page.waitForSelector('#act-n:not([disabled])');
    await press('n');
    await page.waitForSelector('#current-number');
    await press('x');
    await page.waitForFunction(() => document.querySelector('#current-number') === null);
    await press('i');
    await page.waitForSelector('dialog');
    await page.keyboard.press('2');
    await page.waitForFunction(() => /write it down/.test(document.querySelector('#message')?.textContent ?? ''));
    // Plain Tab navigation reaches the buttons too, and Enter presses them.
    for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.id)) !== 'act-n'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('act-n');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#current-number');
    await ctx.close();
  });

  it('survives the host being killed and restarted: both pages reconnect and catch up without a reload', async () => {
    await display.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await counter.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const before = (await announced()).length;
    const port = host.port;
    await killHost(host);
    await display.waitForSelector('#offline:not([hidden])');
    await counter.waitForSelector('#offline:not([hidden])');
    // The display stays cut off until the calls below are made, so it must get them by replay.
    await displayCtx.setOffline(true);
    host = await startHost(dir, port);
    const cookies = await Promise.all(['clerk2', 'clerk4'].map((u) => login(host.url, u)));
    const missed: string[] = [];
    for (const [i, c] of ['c2', 'c4'].entries()) {
      const r = await post(host.url, `/api/v1/counters/${c}/call-next`, { cookie: cookies[i]! });
      expect(r.status).toBe(200);
      missed.push(r.json.ticket.number);
    }
    await displayCtx.setOffline(false);
    await display.waitForSelector('#offline[hidden]', { state: 'attached', timeout: 15_000 });
    await display.waitForFunction((n) => document.querySelector('#now-call .number')?.textContent === n, missed[1], { timeout: 5000 });
    const listed = await display.$$eval('#last-calls li .number', (l) => l.map((x) => x.textContent));
    expect(listed[0]).toBe(missed[0]);
    await display.waitForFunction((n) => document.querySelectorAll('#announced li').length === n, before + 2, { timeout: 10_000 });

    // The clerk carries on at the same page: the next call works and shows on the display.
    await counter.waitForSelector('#offline[hidden]', { state: 'attached', timeout: 15_000 });
    await counter.waitForSelector('#act-n:not([disabled])');
    const previous = await counter.textContent('#current-number');
    await counter.click('#act-n');
    await counter.waitForFunction((p) => (document.querySelector('#current-number')?.textContent ?? p) !== p, previous);
    const next = await counter.textContent('#current-number');
    await display.waitForFunction((n) => document.querySelector('#now-call .number')?.textContent === n, next, { timeout: 2000 });
    expect(await display.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await counter.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  });
});
