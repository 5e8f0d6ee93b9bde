import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { axeViolations, targets, textSizes, WCAG_AA, type TextSize } from './kiosk-support.ts';
import { ensurePagesBuilt, launchBrowser, post, ROOT, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * The kiosk for someone with low vision, in Chromium against `fronta serve` (the demo office, its
 * kiosks printing to virtual printers), on a portrait 1080×1920 screen: large text enlarges every
 * text 1.5× or more and keeps every target at least 15 mm (57 px) with all languages in view and
 * contrast at 7:1 (axe-core's color-contrast-enhanced); the keypad says how many digits it needs
 * and keeps a refused code; refusals follow the chosen language; WCAG 2.1 AA on every screen.
 * Then every screen in Czech and Chinese, portrait and landscape, into artifacts/screenshots/.
 */

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const catalogue = (lang: string): { errors: Record<string, string>; kiosk: Record<string, string> } =>
  JSON.parse(readFileSync(join(ROOT, 'locales', `${lang}.json`), 'utf8'));

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let hallId: string;

async function setPaperEnd(isPaperEnd: boolean): Promise<void> {
  const res = await fetch(`${host.url}/demo/printers/${hallId}/condition`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ isPaperEnd }),
  });
  expect(res.status).toBe(200);
}

const home = (): Promise<void> => page.locator('button.tile[data-service="id-cards"]').waitFor();

async function openKeypad(): Promise<void> {
  await page.locator('[data-action="booking"]').click();
  await page.getByTestId('booking-code').waitFor();
}

async function typeCode(code: string): Promise<void> {
  for (const d of code) await page.locator(`[data-key="${d}"]`).click();
}

async function expectAxeClean(label: string, only: Parameters<typeof axeViolations>[1]): Promise<void> {
  const violations = await axeViolations(page, only);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Each text of `large` at least 1.5× the same element's text in `normal`. */
function expectEnlarged(normal: TextSize[], large: TextSize[], label: string): void {
  expect(large.map((x) => x.key), label).toEqual(normal.map((x) => x.key));
  expect(normal.length, label).toBeGreaterThan(5);
  for (const [i, n] of normal.entries()) {
    const l = large[i]!;
    // 1/100 px of slack for the float rounding of computed sizes (25.6 × 1.5 = 38.400000000000006).
    expect(l.fontPx, `${label}: "${n.text}" ${n.fontPx}px → "${l.text}" ${l.fontPx}px`).toBeGreaterThanOrEqual(n.fontPx * 1.5 - 0.01);
  }
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-kiosk-access-e2e-'));
  host = await startHost(dir);
  const printers = ((await (await fetch(`${host.url}/demo/printers.json`)).json()) as { printers: { deviceId: string; name: string }[] }).printers;
  hallId = printers.find((p) => p.name === 'Hall kiosk')!.deviceId;
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: PORTRAIT })).newPage();
  await page.goto(`${host.url}/kiosk`);
  await page.locator('#token').fill(readDemoCredentials(dir).kioskToken);
  await page.getByRole('button', { name: /Pair|Spárovat/ }).click();
  await home();
  await page.locator('html[lang="cs"]').waitFor({ state: 'attached' });
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the kiosk for low vision (portrait 1080×1920)', () => {
  it('large text enlarges every text at least 1.5× and every target to 57 px, all languages in view, contrast 7:1', async () => {
    const normalHome = await textSizes(page);
    await openKeypad();
    const normalKeypad = await textSizes(page);
    await page.locator('[data-action="back"]').click();
    await home();

    await page.locator('[data-action="accessibility"]').click();
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('accessible');
    const largeHome = await textSizes(page);
    expectEnlarged(normalHome, largeHome, 'home');
    const check = async (label: string): Promise<void> => {
      const buttons = await targets(page);
      expect(buttons.length, label).toBeGreaterThan(3);
      for (const b of buttons) {
        expect(b.width, `${label}: ${b.text}`).toBeGreaterThanOrEqual(57);
        expect(b.height, `${label}: ${b.text}`).toBeGreaterThanOrEqual(57);
      }
      const langs = buttons.filter((b) => ['Čeština', 'English', 'Română', '中文'].includes(b.text));
      expect(langs.map((b) => [b.text, b.isVisible]), label).toEqual([
        ['Čeština', true],
        ['English', true],
        ['Română', true],
        ['中文', true],
      ]);
      await expectAxeClean(`${label} (AAA contrast)`, { rules: ['color-contrast-enhanced'] });
      await expectAxeClean(`${label} (WCAG 2.1 AA)`, { tags: WCAG_AA });
    };
    await check('home, large text');
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-large-text-portrait-cs.png') });

    await openKeypad();
    expectEnlarged(normalKeypad, await textSizes(page), 'keypad');
    await check('keypad, large text');
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-large-text-keypad-portrait-cs.png') });
    await page.locator('[data-action="back"]').click();
    await page.locator('[data-action="accessibility"]').click();
    await expect.poll(() => page.locator('html').getAttribute('class')).not.toContain('accessible');
  });

  it('the keypad shows the digits it needs and keeps a refused code, said in the chosen language', async () => {
    const cs = catalogue('cs');
    await openKeypad();
    expect(await page.locator('[data-testid="booking-code"] .slot').count()).toBe(8);
    expect(await page.locator('#booking-length').textContent()).toBe('Kód má 8 číslic');
    await typeCode('1234567');
    expect(await page.locator('#booking-progress').textContent()).toBe('Zbývá ještě 1 číslice');
    expect(await page.locator('[data-key="confirm"]').isDisabled()).toBe(true);
    await typeCode('8');
    expect(await page.locator('#booking-progress').textContent()).toBe(cs.kiosk['codeComplete']);
    await page.locator('[data-key="confirm"]').click();
    const message = page.getByTestId('booking-message');
    await expect.poll(() => message.textContent()).toBe(cs.errors['BOOKING_CODE_UNKNOWN']);
    // The code is still there, to correct one digit.
    expect(await page.getByTestId('booking-code').textContent()).toBe('12345678');
    await expectAxeClean('keypad with a refusal', { tags: WCAG_AA });
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-keypad-refused-portrait-cs.png') });

    // The passer-by switches to Chinese: the refusal on screen follows.
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => message.textContent()).toBe(catalogue('zh-CN').errors['BOOKING_CODE_UNKNOWN']);
    expect(await page.locator('#booking-length').textContent()).toBe('签到码共8位数字');
    // Corrected and sent again in Chinese: the host answers in Chinese too.
    await page.locator('[data-key="delete"]').click();
    expect(await page.getByTestId('booking-code').textContent()).toBe('1234567');
    await typeCode('9');
    await page.locator('[data-key="confirm"]').click();
    await expect.poll(() => page.getByTestId('booking-code').textContent()).toBe('12345679');
    await expect.poll(() => message.textContent()).toBe(catalogue('zh-CN').errors['BOOKING_CODE_UNKNOWN']);
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-keypad-refused-portrait-zh-CN.png') });
    await page.getByRole('button', { name: 'Čeština' }).click();
    await expect.poll(() => message.textContent()).toBe(cs.errors['BOOKING_CODE_UNKNOWN']);
    await page.locator('[data-action="back"]').click();
    await home();
  });

  it('the issued screen names the service, says to watch the display and marks a priority ticket', async () => {
    await page.locator('[data-action="priority"]').click();
    await page.locator('button.tile.category').first().click();
    await page.locator('button.tile[data-service="id-cards"]').click();
    await page.getByTestId('ticket-number').waitFor();
    expect(await page.getByTestId('ticket-service').textContent()).toBe('Občanské průkazy a pasy');
    expect(await page.getByTestId('ticket-priority').textContent()).toMatch(/^Přednostně: \S/);
    expect(await page.locator('.issued .watch').textContent()).toBe(catalogue('cs').kiosk['watchDisplay']);
    await expectAxeClean('issued', { tags: WCAG_AA });
    await page.locator('[data-action="done"]').click();
    await home();
  });
});

describe('a ticket the printer could not print', () => {
  it('says the host’s refusal in the chosen language, and follows a change of language', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
    await home();
    // The paper runs out as the client taps: the kiosk learns it from the print job, before the
    // printer's next status report turns the whole screen out of order.
    await setPaperEnd(true);
    await page.evaluate(() => document.querySelector<HTMLButtonElement>('button.tile[data-service="cashier"]')!.click());
    const error = page.getByTestId('kiosk-error');
    await error.waitFor({ timeout: 10_000 });
    const code = (await error.getAttribute('data-code'))!;
    expect(code).toMatch(/^PRINT/);
    expect(await error.textContent()).toBe(catalogue('zh-CN').errors[code]);
    await expectAxeClean('printing failed', { tags: WCAG_AA });
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-failed-portrait-zh-CN.png') });
    await page.getByRole('button', { name: 'Čeština' }).click();
    await expect.poll(() => error.textContent()).toBe(catalogue('cs').errors[code]);
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-failed-portrait-cs.png') });
    await page.locator('[data-action="back"]').click();
    await page.getByTestId('out-of-order').waitFor({ timeout: 10_000 });
    await setPaperEnd(false);
    await home();
  });
});

describe('every kiosk screen in Czech and Chinese, portrait and landscape', () => {
  for (const lang of ['cs', 'zh-CN'] as const) {
    it(`${lang}`, async () => {
      await page.getByRole('button', { name: lang === 'cs' ? 'Čeština' : '中文' }).click();
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
      for (const [orientation, viewport] of [['portrait', PORTRAIT], ['landscape', LANDSCAPE]] as const) {
        await page.setViewportSize(viewport);
        const shot = (screen: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `kiosk-${screen}-${orientation}-${lang}.png`) });
        await home();
        await expectAxeClean(`home ${lang} ${orientation}`, { tags: WCAG_AA });
        await shot('home');
        await page.locator('[data-action="accessibility"]').click();
        await shot('home-large-text');
        await page.locator('[data-action="accessibility"]').click();
        await page.locator('[data-action="priority"]').click();
        await page.locator('button.tile.category').first().waitFor();
        await shot('priority');
        await page.locator('button.tile.category').first().click();
        await page.locator('button.tile[data-service="cashier"]').waitFor();
        await shot('priority-services');
        await page.locator('button.tile[data-service="cashier"]').click();
        await page.getByTestId('ticket-number').waitFor();
        await shot('issued');
        await page.locator('[data-action="done"]').click();
        await openKeypad();
        await typeCode('123');
        await shot('keypad');
        await page.locator('[data-action="back"]').click();
        await setPaperEnd(true);
        await page.getByTestId('out-of-order').waitFor({ timeout: 10_000 });
        await expectAxeClean(`out of order ${lang} ${orientation}`, { tags: WCAG_AA });
        await shot('out-of-order');
        await setPaperEnd(false);
        await home();
      }
      await page.setViewportSize(PORTRAIT);
    }, 90_000);
  }
});

describe('the demo printer page', () => {
  it('shows each printed ticket as the picture of what the printer printed', async () => {
    const issued = await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}`, 'accept-language': 'cs' }, { serviceId: 'cashier' });
    expect(issued.status).toBe(201);
    const demo = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await demo.goto(`${host.url}/demo/printers`);
    const pictures = demo.locator('figure.ticket svg.printed-ticket');
    expect(await pictures.count()).toBeGreaterThan(0);
    // The newest ticket of the hall kiosk: its number drawn four times the size of its service.
    const sizes = await pictures.first().evaluate((svg) =>
      Object.fromEntries([...svg.querySelectorAll('g text')].map((t) => [t.textContent, Number(t.getAttribute('font-size'))])),
    );
    expect(sizes[issued.json.ticket.number]).toBe(4 * sizes['Pokladna']!);
    expect(await pictures.first().locator('path.qr').count()).toBe(1);
    expect(await pictures.first().locator('line.cut').count()).toBe(1);
    await pictures.first().screenshot({ path: join(SCREENSHOTS, 'demo-printers-ticket.png') });
    await demo.close();
  });
});
