import { axeViolations } from './axe.ts';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePagesBuilt, launchBrowser, ROOT, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * The booking portal in Chromium at phone width (360 px) against `fronta serve` on a fresh data
 * folder (the demo office books ID cards by e-mail link or SMS code). Mails and SMS are read from
 * the host's built-in SMTP and SMPP sinks (/demo/messages.json). Every view is checked with
 * axe-core: no serious or critical violations.
 */


interface Sinks {
  mails: { to: string[]; subject: string; text: string; attachments: string[] }[];
  sms: { to: string; text: string }[];
}

let dir: string;
let host: RunningHost;
let browser: Browser;
let cs: BrowserContext;
let zh: BrowserContext;
let csNumber = '';
let zhNumber = '';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const sinks = async (): Promise<Sinks> => (await (await fetch(`${host.url}/demo/messages.json`)).json()) as Sinks;

async function waitFor<T>(what: string, probe: (s: Sinks) => T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const hit = probe(await sinks());
    if (hit !== undefined) return hit;
    if (Date.now() > until) throw new Error(`no ${what} arrived: ${JSON.stringify(await sinks())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** axe-core on the page as it is: serious and critical violations fail the test. */
async function axe(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page, 'all');
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${label}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

const view = (page: Page, kind: string) => page.locator(`main[data-view="${kind}"]`).waitFor();

/** Service → first free day → first free time; returns on the details form. */
async function pickFirstFreeTime(page: Page, check: boolean): Promise<void> {
  await page.locator('[data-service="id-cards"]').click();
  await view(page, 'days');
  if (check) await axe(page, 'days');
  await page.locator('[data-day]').first().click();
  await view(page, 'times');
  if (check) await axe(page, 'times');
  await page.locator('[data-slot]').first().click();
  await view(page, 'details');
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/web/renderer/portal/index.html'))) {
    rmSync(join(ROOT, 'dist/web/display/index.html'), { force: true }); // makes ensurePagesBuilt rebuild
  }
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-portal-e2e-'));
  // A known port, so the public address in the messages' links is the one that answers.
  host = await startHost(dir, await freePort());
  browser = await launchBrowser();
  const phone = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, hasTouch: true };
  cs = await browser.newContext({ ...phone, locale: 'cs-CZ' });
  zh = await browser.newContext({ ...phone, locale: 'zh-CN' });
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the booking portal', () => {
  it('Czech, by e-mail link: service → day → time → details (error summary) → hold → link → Confirm → number, kiosk code, QR, .ics', async () => {
    const page = await cs.newPage();
    await page.goto(`${host.url}/portal/`);
    await view(page, 'services');
    expect(await page.locator('html').getAttribute('lang')).toBe('cs');
    await expect.poll(() => page.locator('[data-service="id-cards"]').textContent()).toContain('Občanské průkazy');
    await axe(page, 'services');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-services-cs.png'), fullPage: true });
    // Nothing overflows sideways at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await pickFirstFreeTime(page, true);
    await axe(page, 'details');

    // Submitted empty: the error summary gets focus and links to the fields.
    await page.getByRole('button', { name: 'Rezervovat tento čas' }).click();
    await page.locator('#error-summary').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    expect(await page.locator('#name').getAttribute('aria-invalid')).toBe('true');
    await axe(page, 'details with errors');
    await page.locator('#error-summary a[href="#name"]').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');

    await page.locator('#name').fill('JANA NOVÁKOVÁ');
    await page.locator('#email').fill('jana.novakova@example.cz');
    await page.locator('#channel-email').check();
    await page.getByRole('button', { name: 'Rezervovat tento čas' }).click();
    await view(page, 'hold');
    await expect.poll(() => page.locator('#countdown').textContent()).toMatch(/^1[45]:\d\d$/);
    await axe(page, 'hold (e-mail)');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-hold-cs.png'), fullPage: true });

    const link = await waitFor('confirmation mail', (s) => {
      const m = s.mails.find((x) => x.to.includes('jana.novakova@example.cz') && /\?confirm=/.test(x.text));
      return m === undefined ? undefined : /https?:\/\/\S+\?confirm=[A-Za-z0-9_-]{43}/.exec(m.text)?.[0];
    });
    expect(link.startsWith(`${host.url}/portal/?confirm=`)).toBe(true);
    const mailPage = await cs.newPage();
    await mailPage.goto(link);
    await view(mailPage, 'confirm');
    await axe(mailPage, 'confirm link');
    await mailPage.getByRole('button', { name: 'Potvrdit' }).click();
    await view(mailPage, 'confirmed');
    csNumber = (await mailPage.getByTestId('booking-number').textContent())!;
    expect(csNumber).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect((await mailPage.getByTestId('kiosk-code').textContent())!.replace(/\s/g, '')).toMatch(/^\d{8}$/);
    expect(await mailPage.locator('.qr svg').count()).toBe(1);
    const ics = await fetch(host.url + (await mailPage.locator('[data-action="ics"]').getAttribute('href'))!);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    expect(await ics.text()).toContain(csNumber);
    await axe(mailPage, 'confirmed');
    await mailPage.screenshot({ path: join(SCREENSHOTS, 'portal-confirmed-cs.png'), fullPage: true });
    // The tab that held the place learns of the confirmation by itself.
    await view(page, 'confirmed');
    // The link is single-use.
    await mailPage.goto(link);
    await view(mailPage, 'confirm');
    await expect.poll(() => mailPage.locator('main .warn').textContent()).toContain('už byl použit');
  }, 45_000);

  it('Chinese, by SMS code: the hold is extended once, the one-time-code field confirms it', async () => {
    const page = await zh.newPage();
    await page.goto(`${host.url}/portal/?office=demo`);
    await view(page, 'services');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await axe(page, 'services zh');
    await pickFirstFreeTime(page, false);
    await page.locator('#name').fill('王小明');
    await page.locator('#phone').fill('+420 601 234 567');
    await page.locator('#channel-sms').check();
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-details-zh-CN.png'), fullPage: true });
    await page.getByRole('button', { name: '保留此时间' }).click();
    await view(page, 'hold');
    const code = page.locator('input#code');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await page.locator('input[autocomplete="one-time-code"]').count()).toBe(1);
    await page.getByRole('button', { name: '延长时间' }).click();
    await page.getByText('时间已延长。').waitFor();
    expect(await page.getByRole('button', { name: '延长时间' }).count()).toBe(0);
    await expect.poll(() => page.locator('#countdown').textContent()).toMatch(/^(29|30):\d\d$/);
    await axe(page, 'hold (SMS)');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-hold-zh-CN.png'), fullPage: true });

    const sent = await waitFor('SMS code', (s) => {
      const m = s.sms.find((x) => x.to.includes('601234567') && /\b\d{6}\b/.test(x.text));
      return m === undefined ? undefined : /\b(\d{6})\b/.exec(m.text)![1];
    });
    // A wrong code first: the error summary names the field.
    await code.fill(sent === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '确认', exact: true }).click();
    await page.locator('#error-summary').waitFor();
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    await code.fill(sent);
    await page.getByRole('button', { name: '确认', exact: true }).click();
    await view(page, 'confirmed');
    zhNumber = (await page.getByTestId('booking-number').textContent())!;
    expect(zhNumber).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('预约已确认');
    await axe(page, 'confirmed zh');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-confirmed-zh-CN.png'), fullPage: true });
  }, 45_000);

  it('cancels by the link in the confirmation mail (POST), final', async () => {
    const link = await waitFor('confirmed mail', (s) => {
      const m = s.mails.find((x) => x.subject.includes(csNumber));
      return m === undefined ? undefined : /https?:\/\/\S+\?cancel=[A-Za-z0-9_-]{43}/.exec(m.text)?.[0];
    });
    const page = await cs.newPage();
    await page.goto(link);
    await view(page, 'cancel');
    await axe(page, 'cancel');
    // Opening the link alone cancels nothing.
    expect(((await (await fetch(`${host.url}/api/v1/booking/bookings/${csNumber}`)).json()) as { state: string }).state).toBe('confirmed');
    await page.getByRole('button', { name: 'Zrušit objednávku' }).click();
    await page.getByTestId('state').waitFor();
    expect(await page.getByTestId('state').getAttribute('data-state')).toBe('cancelled');
    await axe(page, 'cancelled');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-cancelled-cs.png'), fullPage: true });
    // The link cannot be used twice.
    await page.goto(link);
    await page.getByRole('button', { name: 'Zrušit objednávku' }).click();
    await page.locator('#error-summary').waitFor();
  }, 45_000);

  it('looks up a booking by number: status and time only; the privacy notice', async () => {
    const page = await zh.newPage();
    await page.goto(`${host.url}/portal/?view=lookup`);
    await view(page, 'lookup');
    await axe(page, 'lookup');
    await page.getByRole('button', { name: '查看状态' }).click();
    await page.locator('#error-summary').waitFor();
    await page.locator('#number').fill(zhNumber.toLowerCase());
    await page.getByRole('button', { name: '查看状态' }).click();
    await page.getByTestId('status').waitFor();
    expect(await page.getByTestId('state').textContent()).toBe('已确认');
    const shown = (await page.getByTestId('status').textContent())!;
    expect(shown).not.toContain('王小明');
    expect(shown).not.toContain('601');
    await axe(page, 'lookup result');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-lookup-zh-CN.png'), fullPage: true });

    // The lookup link of the messages, for the cancelled Czech booking.
    const csPage = await cs.newPage();
    await csPage.goto(`${host.url}/portal/?number=${csNumber}`);
    await csPage.getByTestId('state').waitFor();
    expect(await csPage.getByTestId('state').textContent()).toBe('Zrušena');

    await csPage.getByRole('link', { name: 'Ochrana údajů' }).click();
    await view(csPage, 'privacy');
    expect(await csPage.locator('main').textContent()).toContain('30 dnů');
    await axe(csPage, 'privacy');
  });

  it('keeps the language the page is shown in across its own links, over the one this browser chose before', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-US' });
    const page = await ctx.newPage();
    const lang = (): Promise<string> => page.evaluate(() => document.documentElement.lang);
    const langInAddress = (): string | null => new URL(page.url()).searchParams.get('lang');
    // English chosen earlier on this browser (kept in its storage).
    await page.goto(`${host.url}/portal/?office=demo`);
    await view(page, 'services');
    await page.getByRole('combobox').selectOption('en');
    expect(await page.evaluate(() => localStorage.getItem('fronta.lang'))).toBe('en');

    // A Czech address (a message's link): every link of the page stays Czech.
    await page.goto(`${host.url}/portal/?office=demo&lang=cs`);
    await view(page, 'services');
    expect(await lang()).toBe('cs');
    await page.getByRole('navigation').getByRole('link', { name: 'Moje objednávka' }).click();
    await view(page, 'lookup');
    expect(await lang()).toBe('cs');
    expect(langInAddress()).toBe('cs');
    await page.getByTestId('office-foot').getByRole('link', { name: 'Informace o ochraně osobních údajů' }).click();
    await view(page, 'privacy');
    expect(await lang()).toBe('cs');
    await page.getByRole('navigation').getByRole('link', { name: 'Objednat' }).click();
    await view(page, 'services');
    expect(await lang()).toBe('cs');

    // Another language picked on the page takes the address with it: a reload and the next link keep it.
    await page.getByRole('combobox').selectOption('zh-CN');
    await expect.poll(lang).toBe('zh-CN');
    expect(langInAddress()).toBe('zh-CN');
    await page.reload();
    await view(page, 'services');
    expect(await lang()).toBe('zh-CN');
    await page.getByRole('navigation').getByRole('link', { name: '隐私' }).click();
    await view(page, 'privacy');
    expect(await lang()).toBe('zh-CN');
    await axe(page, 'privacy (zh-CN, by the page’s own link)');
    await ctx.close();
  });
});
