/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePagesBuilt, launchBrowser, PASSWORD, post, ROOT, SCREENSHOTS, seedOffice, startHost, tearDown, type RunningHost, type Seeded } from './support.ts';

/**
 * The alerts panel of the floor view and of the counter terminal, in Czech and Chinese, against a
 * real host: a line waits with no counter to serve it, both pages say so in the reader's
 * language, and each panel is photographed (artifacts/screenshots/alerts-*.png).
 */

let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;

const catalogue = (lang: string): { alerts: { title: string } } => JSON.parse(readFileSync(join(ROOT, 'locales', `${lang}.json`), 'utf8')) as { alerts: { title: string } };

async function signIn(path: string, lang: string, username: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang === 'zh-CN' ? 'zh-CN' : 'cs-CZ' });
  const page = await ctx.newPage();
  await page.goto(`${host.url}${path}?lang=${lang}`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  return page;
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-alerts-e2e-'));
  seeded = await seedOffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  // Vehicles is served at counter 4 only, and nobody sits there.
  expect((await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${seeded.kioskToken}` }, { serviceId: 'vehicles' })).status).toBe(201);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('alerts on the floor and at the counter', () => {
  for (const [lang, clerk, counterKey] of [
    ['cs', 'clerk1', '1'],
    ['zh-CN', 'clerk2', '2'],
  ] as const) {
    it(`the floor view's panel in ${lang}`, async () => {
      const page = await signIn('/renderer/floor/', lang, 'boss');
      const panel = page.locator('section.alerts');
      await panel.locator('li[data-alert="queue_unserved"]').waitFor({ timeout: 10_000 });
      expect(await panel.locator('h2').textContent()).toBe(catalogue(lang).alerts.title);
      await panel.screenshot({ path: join(SCREENSHOTS, `alerts-floor-${lang}.png`) });
      await page.screenshot({ path: join(SCREENSHOTS, `alerts-floor-page-${lang}.png`), fullPage: true });
      await page.context().close();
    });

    it(`the counter terminal's panel in ${lang}`, async () => {
      const page = await signIn('/renderer/counter/', lang, clerk);
      await page.locator('.picker').waitFor();
      await page.keyboard.press(counterKey);
      await page.waitForSelector('#act-n:not([disabled])');
      const panel = page.locator('section.alerts');
      await panel.locator('li[data-alert="queue_unserved"]').waitFor({ timeout: 10_000 });
      expect(await panel.locator('h2').textContent()).toBe(catalogue(lang).alerts.title);
      await panel.screenshot({ path: join(SCREENSHOTS, `alerts-counter-${lang}.png`) });
      await page.screenshot({ path: join(SCREENSHOTS, `alerts-counter-page-${lang}.png`), fullPage: true });
      await page.context().close();
    });
  }
});
