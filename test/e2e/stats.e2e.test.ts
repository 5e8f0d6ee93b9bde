/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../../host/web-pages.ts';
import { startBookingHost, type BookingTestHost } from '../helpers/booking.ts';
import { DAY, OPEN_AT, simulateOfficeDay, type DayLog } from '../helpers/office-day.ts';
import { expectedFigures, groupedBy } from '../helpers/office-day-fixture.ts';
import { openBackoffice, openSection, screenshotSection } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS } from './support.ts';

/**
 * The statistics section in Chromium shows the simulated office day's figures as the test's own
 * fixture computes them (test/helpers/office-day-fixture.ts), formatted in the page's language;
 * axe-clean, screenshots in Czech and Chinese; the channel filter narrows the page and its export.
 */

let h: BookingTestHost;
let log: DayLog;
let browser: Browser;
let base: string;

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  h = await startBookingHost({ policies: [], register: (app) => servePages(app) });
  log = await simulateOfficeDay(h, 20_261_123);
  h.clock.set(OPEN_AT + 23 * 3_600_000); // the next morning: the day is over
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const CHANNELS: Record<string, Record<string, string>> = {
  cs: { walk_in: 'Bez objednání', booked: 'Objednaní', reception: 'Recepce', total: 'Celkem' },
  'zh-CN': { walk_in: '现场取号', booked: '预约', reception: '前台', total: '合计' },
};

describe('the statistics page', () => {
  for (const lang of ['cs', 'zh-CN'] as const) {
    it(`shows the day's figures by channel as the fixture has them (${lang}); axe-clean; screenshot`, async () => {
      const page = await openBackoffice(browser, base, 'admin', lang);
      await openSection(page, 'stats');
      await page.fill('#stats-from', DAY);
      await page.fill('#stats-to', DAY);
      await page.selectOption('#stats-group', 'channel');
      await page.click('main form button[type=submit]');
      await expect.poll(() => page.locator('#stats-groups tbody tr').count()).toBe(3);
      const shown = await page.$$eval('#stats-groups tbody tr, #stats-groups tfoot tr', (rows) =>
        rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '')),
      );
      const fmt = (v: number | null) => (v === null ? '–' : new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(v));
      const cells = (f: ReturnType<typeof expectedFigures>) =>
        [f.issued, f.served, f.noShow, f.voided, f.transferred, f.open, f.wait.mean, f.wait.median, f.wait.p90, f.wait.max, f.service.mean, f.service.median, f.service.p90, f.service.max].map(fmt);
      expect(shown).toEqual([
        ...groupedBy(log, (t) => t.channel).map((g) => [CHANNELS[lang]![g.key]!, ...cells(g.figures)]),
        [CHANNELS[lang]!['total']!, ...cells(expectedFigures([...log.tickets.values()]))],
      ]);
      // The charts are drawn (uPlot canvases), the tables beside them carry the numbers as text.
      await expect.poll(() => page.locator('#stats-chart-tickets canvas').count()).toBeGreaterThan(0);
      await screenshotSection(page, 'stats', lang);
      await page.context().close();
    });
  }

  it('filtered to booked clients, shows and exports their figures only', async () => {
    const page = await openBackoffice(browser, base, 'admin', 'en');
    await openSection(page, 'stats');
    await page.fill('#stats-from', DAY);
    await page.fill('#stats-to', DAY);
    await page.selectOption('#stats-group', 'service');
    await page.getByLabel('Channel', { exact: true }).selectOption({ label: 'Booked' });
    await page.click('main form button[type=submit]');
    const booked = [...log.tickets.values()].filter((t) => t.channel === 'booked');
    const issued = String(expectedFigures(booked).issued);
    // The total row under the table: issued is its first number.
    await expect.poll(() => page.textContent('#stats-groups tfoot td:first-of-type')).toBe(issued);
    expect(Number(issued)).toBeLessThan(expectedFigures([...log.tickets.values()]).issued);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV', exact: true }).click()]);
    const rows = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.split(','));
    expect(rows.find((r) => r[0] === 'Total')?.[1]).toBe(issued);
    await page.context().close();
  });
});
