/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink, type ReceivedMail } from '../../drivers/mail/smtp.ts';
import { ADMIN, openBackoffice, openSection, screenshotSection, seedBackoffice } from './backoffice-support.ts';
import { freePort } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The office closes a day that has three bookings, in Chromium against a real host whose mail goes
 * to a real SMTP server in the test: the confirm before saving lists them; once saved, the admin
 * is taken to the step that lists each (time, service, booking number — no name, no contact) with
 * the nearest free time a move would give it; they cancel one and move the other two; the outcome
 * says what was done, and the three clients get the office's message with a calendar update of
 * their booking (same UID, SEQUENCE 1).
 */

const START = Date.parse('2026-11-23T08:00:00+01:00'); // Monday, 08:00 in Prague; the host's clock stands there
const DAY = '2026-11-25';
const SOON = { timeout: 15_000 };

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let sink: MailSink;
const booked: { number: string; email: string; name: string; uid: string; time: string }[] = [];

const ics = (m: ReceivedMail): string => m.attachments.find((a) => a.filename === 'booking.ics')?.content ?? '';
const icsField = (cal: string, name: string): string => new RegExp(`^${name}:(.*)$`, 'm').exec(cal)?.[1]?.trim() ?? '';

/** A client books a time on DAY through the portal's API and confirms by the link in the mail. */
async function book(name: string, email: string): Promise<void> {
  const slots = (await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days/${DAY}/slots`)).json()) as { slots: { id: string; free: number }[] };
  const slot = slots.slots.find((s) => s.free > 0)!;
  // The slot's office-local time, as its id ends (…~HHMM).
  const hhmm = /~(\d{2})(\d{2})$/.exec(slot.id)!;
  const hold = await post(host.url, '/api/v1/booking/holds', {}, { slotId: slot.id, name, email, channel: 'email' });
  expect(hold.status, JSON.stringify(hold.json)).toBe(201);
  const mail = await sink.next((m) => m.to.includes(email) && /[?&]confirm=/.test(m.text), 15_000);
  const confirmed = await post(host.url, '/api/v1/booking/confirm', {}, { token: /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(mail.text)![1] });
  expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
  const number = confirmed.json.number as string;
  const confirmation = await sink.next((m) => m.to.includes(email) && m.subject.includes(number), 15_000);
  booked.push({ number, email, name, uid: icsField(ics(confirmation), 'UID'), time: `${hhmm[1]}:${hhmm[2]}` });
}

const rows = () => page.locator('table[data-testid="office-change"] tbody tr');
const language = (lang: string) => page.selectOption('header label.lang select', lang);

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-office-change-e2e-'));
  await seedBackoffice(dir);
  const smtpPort = await freePort();
  sink = await startMailSink({ port: smtpPort });
  [host, browser] = await Promise.all([
    startHost(dir, 0, { FRONTA_FAKE_CLOCK: new Date(START).toISOString(), FRONTA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }),
    launchBrowser(),
  ]);
  for (const [name, email] of [
    ['Jana Nováková', 'jana@example.org'],
    ['Petr Svoboda', 'petr@example.org'],
    ['Li Wei', 'li.wei@example.org'],
  ] as const)
    await book(name, email);
  page = await openBackoffice(browser, host.url, ADMIN);
}, 90_000);

afterAll(async () => {
  await sink.close();
  await tearDown({ browser, host, dir });
});

describe('an office change that strands bookings', () => {
  it('closing the day shows its three bookings before saving, then takes the admin to the step with the time each would move to', async () => {
    await openSection(page, 'hours');
    await page.fill('#closed-date', DAY);
    await page.click('form[aria-labelledby="closed-title"] button[type=submit]');
    await page.waitForSelector('#confirm-yes', SOON);
    const confirmText = (await page.textContent('.confirm-text')) ?? '';
    expect(confirmText).toContain('outside the new hours: 3');
    for (const b of booked) expect(confirmText).toContain(b.number);
    await page.click('#confirm-yes');

    await page.waitForSelector('main[data-open="office-change"]', SOON);
    await expect.poll(() => rows().count(), SOON).toBe(3);
    const table = (await page.textContent('table[data-testid="office-change"]')) ?? '';
    for (const b of booked) {
      expect(table).toContain(b.number);
      // Staff see the booking number, never the client's name or contact.
      expect(table).not.toContain(b.name);
      expect(table).not.toContain(b.email);
    }
    expect(table).toContain('day closed');
    expect(table).toContain('ID cards and passports');
    for (const b of booked) expect(await rows().filter({ hasText: b.number }).textContent()).toContain(b.time);
    // Each row shows the time a move would give it, never on the closed day.
    const proposed = await page.locator('td[data-proposed]').allTextContents();
    expect(proposed).toHaveLength(3);
    for (const text of proposed) {
      expect(text).toMatch(/\d{2}:\d{2}/);
      expect(text).not.toMatch(/25\b.*11\b.*2026|11\/25\/2026/);
    }
  });

  it('draws the step axe-clean in Czech and Chinese (screenshots)', async () => {
    for (const lang of ['cs', 'zh-CN']) {
      await language(lang);
      await expect.poll(() => page.textContent('#section-title'), SOON).toBe(lang === 'cs' ? 'Objednávky k přesunutí' : '需改期的预约');
      await expect.poll(() => rows().count(), SOON).toBe(3);
      await expect.poll(() => page.locator('td[data-proposed]').count(), SOON).toBe(3);
      await screenshotSection(page, 'office-change', lang);
    }
    await language('en');
    await expect.poll(() => page.textContent('#section-title'), SOON).toBe('Bookings to move');
    await expect.poll(() => rows().count(), SOON).toBe(3);
  });

  it('cancels one, moves the other two to the times shown; the outcome says what was done', async () => {
    const [cancelled, ...moved] = booked;
    await page.getByRole('button', { name: `Cancel booking ${cancelled!.number}` }).click();
    await page.waitForSelector('#confirm-yes', SOON);
    expect(await page.textContent('.confirm-text')).toContain(cancelled!.number);
    await page.click('#confirm-yes');
    await expect.poll(() => rows().count(), SOON).toBe(2);

    const proposed = await page.locator('td[data-proposed]').allTextContents();
    await page.click('#office-change-move-all');
    await page.waitForSelector('#confirm-yes', SOON);
    await page.click('#confirm-yes');
    await expect.poll(() => rows().count(), SOON).toBe(0);

    const outcome = page.locator('table[data-testid="office-change-outcome"] tbody tr');
    await expect.poll(() => outcome.count(), SOON).toBe(3);
    expect(await page.getAttribute(`table[data-testid="office-change-outcome"] tr[data-booking="${cancelled!.number}"]`, 'data-outcome')).toBe('cancelled');
    for (const [i, b] of moved.entries()) {
      const row = page.locator(`table[data-testid="office-change-outcome"] tr[data-booking="${b.number}"]`);
      expect(await row.getAttribute('data-outcome')).toBe('moved');
      // Moved to the very time the step showed before.
      expect(await row.textContent()).toContain(`moved to ${proposed[i]!}`);
      expect(await row.textContent()).toContain('message queued');
    }
    await expect.poll(() => page.textContent('p.status'), SOON).toContain('Every booking has been dealt with');
  });

  it('the three clients get the office’s message with a calendar update of the same booking, SEQUENCE 1', async () => {
    const [cancelled, ...moved] = booked;
    const cancelMail = await sink.next((m) => m.to.includes(cancelled!.email) && m.subject === `Booking cancelled: ${cancelled!.number}`, 15_000);
    expect([icsField(ics(cancelMail), 'UID'), icsField(ics(cancelMail), 'SEQUENCE'), icsField(ics(cancelMail), 'METHOD')]).toEqual([cancelled!.uid, '1', 'CANCEL']);
    for (const b of moved) {
      const mail = await sink.next((m) => m.to.includes(b.email) && m.subject === `Your booking was changed: ${b.number}`, 15_000);
      expect([icsField(ics(mail), 'UID'), icsField(ics(mail), 'SEQUENCE')]).toEqual([b.uid, '1']);
      expect(mail.text).toMatch(/\/portal\/\?accept=[A-Za-z0-9_-]{43}/);
    }
  });

  it('an undo in the change history goes through the same preview: undoing the reopening lists the new booking, then the step opens with it', async () => {
    const closedDays = async (): Promise<string[]> =>
      page.evaluate(async () => ((await (await fetch('/api/v1/offices/demo/config')).json()) as { calendar: { closedDays: { date: string }[] } }).calendar.closedDays.map((d) => d.date));
    const undoNewest = async (): Promise<string> => {
      const newest = page.locator('table[data-testid="audit"] tbody tr').first();
      await newest.getByRole('button', { name: /^Undo change \d+$/ }).click();
      await page.waitForSelector('#confirm-yes', SOON);
      const text = (await page.textContent('.confirm-text')) ?? '';
      await page.click('#confirm-yes');
      return text;
    };
    // Undoing the closing opens the day again: nothing stranded, only the undo's own question.
    await openSection(page, 'audit');
    expect(await undoNewest()).toContain('The values before the change are set again');
    await expect.poll(closedDays, SOON).not.toContain(DAY);

    // A client books the reopened day; undoing the undo would close it again: the confirm names them.
    await book('Eva Malá', 'eva@example.org');
    const late = booked[booked.length - 1]!;
    await expect.poll(() => page.locator('table[data-testid="audit"] tbody tr').first().textContent(), SOON).toContain('calendar');
    const text = await undoNewest();
    expect(text).toContain('outside the new hours: 1');
    expect(text).toContain(late.number);
    await page.waitForSelector('main[data-open="office-change"]', SOON);
    await expect.poll(() => rows().count(), SOON).toBe(1);
    expect(await rows().first().textContent()).toContain(late.number);
    expect(await closedDays()).toContain(DAY);
  });
});
