import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { axeAA } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * The office as the public sees it, in Chromium against `fronta serve --demo`: with no address
 * and contact (the demo's fictitious ones taken away), the portal's footer shows no empty lines
 * and the privacy notice says no controller is named; once the admin entered them (the office section's API), the
 * footer on every screen shows the address with the phone as a `tel:` and the e-mail as a
 * `mailto:` link, the privacy notice names the controller and the office's own retention period,
 * a later change reaches the open page without a reload, and a ticket's page shows the address.
 * axe-clean; screenshots of the notice in cs and zh-CN.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let admin: string;

const address = { lines: ['náměstí Míru 1'], postalCode: '552 03', city: 'Kostelec', country: 'CZ' };
const contact = { phone: '+420 491 000 111', email: 'podatelna@kostelec.example', web: 'https://www.kostelec.example/', dataController: 'Město Kostelec, náměstí Míru 1, 552 03 Kostelec, IČO 00272000' };

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-portal-office-e2e-'));
  host = await startHost(dir);
  const creds = readDemoCredentials(dir).admin;
  admin = (await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds) })).headers
    .getSetCookie()
    .find((c) => c.startsWith('fronta_session='))!
    .split(';')[0]!;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

/** The admin's change of the office section, over the API the back office uses. */
async function patchOffice(body: unknown): Promise<void> {
  const res = await fetch(`${host.url}/api/v1/offices/demo`, { method: 'PATCH', headers: { cookie: admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.text()).toBe(200);
}

const privacy = (lang: string) => page.goto(`${host.url}/portal/?office=demo&view=privacy&lang=${lang}`);
const onPrivacy = () => page.locator('main[data-view="privacy"]').waitFor();

describe('the office’s address, contact and data controller on public pages', () => {
  it('an office that gave none: no contact lines in the footer, and the notice says no controller is named yet', async () => {
    // The demo office comes with a fictitious address and contact: taken away, it is an office that gave none.
    await patchOffice({ address: null, contact: null });
    await privacy('en');
    await onPrivacy();
    await expect.poll(() => page.getByTestId('privacy-controller').textContent()).toContain('has not yet named the controller');
    expect(await page.getByTestId('office-foot').locator('address').count()).toBe(0);
    // The footer holds the office's name and the notice's link, and nothing empty.
    const lines = await page.getByTestId('office-foot').locator('p').allTextContents();
    expect(lines.every((l) => l.trim() !== '')).toBe(true);
    await axeAA(page, 'privacy without a controller (en)');
  });

  it('once the admin entered them: the footer on every screen, the notice names the controller and the real retention period', async () => {
    await patchOffice({ address, contact });
    const settings = (await (await fetch(`${host.url}/api/v1/booking/offices/demo/settings`, { headers: { cookie: admin } })).json()) as { retentionDays: number };

    await page.goto(`${host.url}/portal/?office=demo`);
    await page.locator('main[data-view="services"]').waitFor();
    // Chosen on the page, the language stays when a link is followed.
    await page.getByRole('combobox').selectOption('cs');
    const foot = page.getByTestId('office-foot');
    await expect.poll(() => foot.getByTestId('office-address').textContent()).toBe('náměstí Míru 1, 552 03 Kostelec');
    expect(await foot.getByTestId('office-phone').getAttribute('href')).toBe('tel:+420491000111');
    expect(await foot.getByTestId('office-email').getAttribute('href')).toBe('mailto:podatelna@kostelec.example');
    expect(await foot.getByTestId('office-web').textContent()).toBe('www.kostelec.example');
    await axeAA(page, 'services with the footer (cs)');

    // From the footer to the notice.
    await foot.getByRole('link', { name: 'Informace o ochraně osobních údajů' }).click();
    await onPrivacy();
    expect(await page.getByTestId('privacy-controller').textContent()).toBe(`Správcem vašich osobních údajů je ${contact.dataController}.`);
    expect(await page.getByTestId('privacy-retention').textContent()).toContain(`do ${settings.retentionDays} dnů po termínu`);
    expect(await page.getByTestId('privacy-contact').getByTestId('office-email').getAttribute('href')).toBe('mailto:podatelna@kostelec.example');
    await axeAA(page, 'privacy (cs)');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-privacy-cs.png'), fullPage: true });

    await privacy('en');
    await onPrivacy();
    await expect.poll(() => page.getByTestId('privacy-controller').textContent()).toBe(`The controller of your personal data is ${contact.dataController}.`);
    expect(await page.getByTestId('privacy-retention').textContent()).toContain(`until ${settings.retentionDays} days after the booked time`);

    await privacy('zh-CN');
    await onPrivacy();
    await expect.poll(() => page.getByTestId('privacy-controller').textContent()).toBe(`您的个人数据的控制者是${contact.dataController}。`);
    await axeAA(page, 'privacy (zh-CN)');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-privacy-zh-CN.png'), fullPage: true });

    // A new phone number reaches the open page without a reload.
    await page.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));
    await patchOffice({ contact: { ...contact, phone: '+420 491 000 222' } });
    await expect.poll(() => page.getByTestId('office-foot').getByTestId('office-phone').getAttribute('href'), { timeout: 10_000 }).toBe('tel:+420491000222');
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))).toBe('kept');
    await patchOffice({ contact });
  });

  it('a ticket’s page shows the office’s address and contact', async () => {
    const kiosk = { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}`, 'accept-language': 'cs' };
    const issued = await post(host.url, '/api/v1/tickets', kiosk, { serviceId: 'id-cards' });
    expect(issued.status, JSON.stringify(issued.json)).toBe(201);
    await page.goto(`${host.url}/t/${issued.json.ticket.id}?lang=cs`);
    await expect.poll(() => page.getByTestId('office-address').textContent()).toBe('náměstí Míru 1, 552 03 Kostelec');
    expect(await page.getByTestId('office-phone').getAttribute('href')).toBe('tel:+420491000111');
    await axeAA(page, 'ticket page with the office’s contact (cs)');
  });
});
