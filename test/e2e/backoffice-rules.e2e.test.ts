/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openBackoffice, openSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, login, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * A service's rules and roster in the back office, in Chromium against a real host: an admin
 * gates ID cards by a roster, adds an outcome and an eligibility rule (an unknown outcome is
 * refused and told in the summary), imports a roster seeing first who is added, changed and
 * removed, and applies only what was previewed, after a confirm.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;

const SOON = { timeout: 10_000 };
const summary = (): Promise<string | null> => page.textContent('.error-summary');

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-rules-e2e-'));
  await seedBackoffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  page = await openBackoffice(browser, host.url, ADMIN);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('service rules', () => {
  it('gates a service by its roster, with an outcome and a rule; an unknown outcome is told in the summary', async () => {
    await openSection(page, 'rules');
    await page.selectOption('#rules-service', 'id-cards');
    await page.check('#rules-roster');
    await page.click('button:has-text("Add an outcome")');
    await page.fill('#outcome-0-id', 'issued');
    await page.fill('#outcome-0-name-cs', 'Vydáno');
    await page.click('button:has-text("Add a rule")');
    await page.fill('#rule-0-outcome', 'rejected');
    await page.fill('#rule-0-minDays', '30');
    await page.click('main form button[type=submit]');
    await expect.poll(summary, SOON).toContain('“rejected” is not an outcome of this service.');
    await page.fill('#rule-0-outcome', 'issued');
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.textContent('main .status'), SOON).toBe('Saved.');
    const cookie = await login(host.url, ADMIN);
    const saved = (await (await fetch(`${host.url}/api/v1/offices/demo/services/id-cards/rules`, { headers: { cookie } })).json()) as { rules: unknown };
    expect(saved.rules).toEqual({ roster: true, outcomes: [{ id: 'issued', names: { cs: 'Vydáno' } }], eligibility: [{ after: 'issued', minDays: 30 }] });
  });
});

describe('roster import', () => {
  const FIRST = 'document_number,name,phone\nAB123456,Jana Nováková,+420601111111\nCD654321,Petr Svoboda,+420602222222\n';
  const SECOND = 'document_number,name,phone\nAB123456,Jana Nováková,+420609999999\nEF111222,Eva Malá,+420603333333\n';

  it('refuses a file without its header line, beside the text', async () => {
    await openSection(page, 'roster');
    await page.selectOption('#roster-service', 'id-cards');
    await page.fill('#roster-csv', 'AB123456,Jana,+420601111111');
    await page.click('main form button[type=submit]');
    await expect.poll(summary, SOON).toContain('The first line of the roster file must name its columns');
    expect(await page.getAttribute('.error-summary a', 'href')).toBe('#roster-csv');
  });

  it('previews who is added, then applies that file after a confirm', async () => {
    await page.fill('#roster-csv', FIRST);
    await page.click('main form button[type=submit]');
    await page.waitForSelector('[data-testid="roster-preview"]');
    expect(await page.textContent('[data-testid="roster-preview"]')).toContain('2 added, 0 changed, 0 removed, 0 unchanged.');
    expect(await page.textContent('[data-testid="roster-added"]')).toContain('Petr Svoboda');
    await page.click('[data-testid="roster-preview"] button');
    await page.click('#confirm-yes');
    await expect.poll(() => page.textContent('main .status'), SOON).toContain('The roster is applied: 2 people.');
  });

  it('shows a changed phone and a removed person before anything is stored', async () => {
    await page.fill('#roster-csv', SECOND);
    await page.click('main form button[type=submit]');
    await page.waitForSelector('[data-testid="roster-preview"]');
    expect(await page.textContent('[data-testid="roster-preview"]')).toContain('1 added, 1 changed, 1 removed, 0 unchanged.');
    // The changed field is marked (phones are shown masked: the page never needs them whole).
    expect(await page.textContent('[data-testid="roster-changed"]')).toContain('Jana Nováková');
    expect(await page.locator('[data-testid="roster-changed"] td.changed').count()).toBe(1);
    expect(await page.textContent('[data-testid="roster-removed"]')).toContain('Petr Svoboda');
    await page.screenshot({ path: join(SCREENSHOTS, 'backoffice-roster-preview-en.png'), fullPage: true });
    // Editing the text drops the preview: only a previewed file can be applied.
    await page.fill('#roster-csv', FIRST);
    expect(await page.locator('[data-testid="roster-preview"]').count()).toBe(0);
  });
});
