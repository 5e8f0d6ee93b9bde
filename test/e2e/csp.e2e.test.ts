/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { ensurePagesBuilt, launchBrowser, post, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * Every page of `fronta serve --demo` under the host's strict Content-Security-Policy in Chromium:
 * no page trips it (no `securitypolicyviolation`, no CSP console error), each page's script runs,
 * socket.io connects, and the start page's sign-in and the API docs work.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let ticketId: string;

beforeAll(async () => {
  ensurePagesBuilt();
  dir = mkdtempSync(join(tmpdir(), 'fronta-csp-e2e-'));
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  const issued = await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}` }, { serviceId: 'cashier' });
  expect(issued.status).toBe(201);
  ticketId = issued.json.ticket.id as string;
}, 60_000);

afterAll(async () => {
  await tearDown({ browser, host, dir });
});

interface Watched {
  page: Page;
  context: BrowserContext;
  violations: () => Promise<string[]>;
  sockets: string[];
}

/** A fresh page that records CSP violations (the DOM event and Chromium's console errors) and the WebSockets it opens. */
async function open(path: string, cookies: { name: string; value: string }[] = []): Promise<Watched> {
  const context = await browser.newContext({ locale: 'en-GB' });
  if (cookies.length > 0) await context.addCookies(cookies.map((c) => ({ ...c, url: host.url })));
  // Init scripts run outside the page's CSP, before any of its own code.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) consoleErrors.push(m.text());
  });
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(host.url + path, { waitUntil: 'load' });
  return {
    page,
    context,
    sockets,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...consoleErrors],
  };
}

const appRendered = (page: Page): Promise<unknown> => page.waitForFunction(() => (document.getElementById('app')?.innerText.trim().length ?? 0) > 0, undefined, { timeout: 15_000 });

describe('pages under the Content-Security-Policy', () => {
  it('the start page runs its sign-in script from a file and signs a clerk in', async () => {
    const w = await open('/');
    const { clerk } = readDemoCredentials(dir);
    await w.page.fill('input[name=username]', clerk.username);
    await w.page.fill('input[name=password]', clerk.password);
    await w.page.click('#login button');
    await w.page.waitForFunction(() => document.getElementById('who')?.textContent?.includes('Demo clerk') === true, undefined, { timeout: 10_000 });
    expect(await w.page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/system-ui|sans-serif/);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });

  it.each(['/renderer/counter/', '/renderer/floor/', '/renderer/kiosk/', '/display/', '/portal/', '/backoffice/'])('%s renders with no violation', async (path) => {
    const w = await open(path);
    await appRendered(w.page);
    await w.page.waitForTimeout(500);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });

  it('the back office, signed in as the demo admin, opens every section with no violation', async () => {
    const w = await open('/backoffice/');
    const { admin } = readDemoCredentials(dir);
    await w.page.fill('#username', admin.username);
    await w.page.fill('#password', admin.password);
    await w.page.click('form.login button');
    await w.page.waitForSelector('nav.sections a', { timeout: 15_000 });
    for (const id of await w.page.$$eval('nav.sections a', (as) => as.map((a) => a.getAttribute('data-section') ?? ''))) {
      await w.page.click(`nav.sections a[data-section="${id}"]`);
      await w.page.waitForSelector(`main[data-open="${id}"][aria-busy="false"]`);
    }
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  }, 60_000);

  it('a ticket’s status page renders with no violation', async () => {
    const w = await open(`/t/${ticketId}`);
    await appRendered(w.page);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });

  it('a paired hall display connects over socket.io with no violation', async () => {
    const w = await open('/display/', [{ name: 'fronta_device', value: readDemoCredentials(dir).displayToken }]);
    await appRendered(w.page);
    await w.page.waitForTimeout(1500);
    expect(w.sockets.some((u) => u.includes('/socket.io/'))).toBe(true);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });

  it('the API docs (swagger UI) render with no violation', async () => {
    const w = await open('/api/docs');
    await w.page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
    await w.page.waitForSelector('.opblock', { timeout: 10_000 });
    await w.page.waitForTimeout(500);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });

  it.each(['/demo/printers', '/demo/messages'])('%s renders with its styles and no violation', async (path) => {
    const w = await open(path);
    expect(await w.page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/system-ui|sans-serif/);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });

  it('the virtual printers’ switches work from their script file', async () => {
    const w = await open('/demo/printers');
    const button = w.page.locator('button[data-key="isPaperNearEnd"]').first();
    await expect.poll(async () => button.textContent()).toMatch(/no$/);
    await Promise.all([w.page.waitForEvent('load'), button.click()]);
    await expect.poll(async () => w.page.locator('button[data-key="isPaperNearEnd"]').first().textContent()).toMatch(/yes$/);
    expect(await w.violations()).toEqual([]);
    await w.context.close();
  });
});
