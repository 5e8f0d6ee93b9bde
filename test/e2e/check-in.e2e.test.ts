import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, setHostClock, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * Booked clients at the kiosk (issue 7), end to end: `fronta serve` on a test clock
 * (FRONTA_FAKE_CLOCK), five bookings made through the booking API and confirmed with the SMS
 * code from the demo's SMPP sink, then each code typed on the kiosk page's keypad in Chromium at
 * −16, −15, 0, +15 and +16 minutes from its booked time: too early ("come back at HH:MM"),
 * accepted (the ticket's number on the screen and on the virtual printer), accepted, accepted,
 * lapsed. Then a clerk on the counter page finds a sixth booking by name and time, sees what to
 * verify and checks it in; the queue shows booked vs walk-in; a booked ticket's status page and
 * its booking follow the ticket to the end.
 */

const MIN = 60_000;
/** Monday 23 November 2026, 08:00 in Prague (the demo office is open around the clock). */
const START = Date.parse('2026-11-23T08:00:00+01:00');
const DAY = '2026-11-23';
/** The public booking lookup allows 30 requests a minute per address: poll it gently. */
const LOOKUP_POLL = { timeout: 5000, interval: 500 };

interface DemoPrinterSnapshot {
  deviceId: string;
  name: string;
  connected: boolean;
  printed: { lines: string[]; qr: string[]; cut: boolean }[];
}

interface Booked {
  slotTime: string;
  startAt: number;
  number: string;
  kioskCode: string;
  name: string;
}

let dir: string;
let host: RunningHost;
let browser: Browser;
let kiosk: Page;
const bookings: Booked[] = [];
const accepted: { number: string; statusPath: string; booking: Booked }[] = [];

const printed = async (): Promise<DemoPrinterSnapshot['printed']> => {
  const all = ((await (await fetch(`${host.url}/demo/printers.json`)).json()) as { printers: DemoPrinterSnapshot[] }).printers;
  return all.find((p) => p.name === 'Hall kiosk')!.printed;
};

const hhmm = (at: number): string =>
  new Intl.DateTimeFormat('cs', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Prague' }).format(at);

/** The SMS code sent to `phone` (E.164 digits), from the demo's SMPP sink. */
async function smsCode(phone: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const sinks = (await (await fetch(`${host.url}/demo/messages.json`)).json()) as { sms: { to: string; text: string }[] };
    const m = sinks.sms.find((s) => s.to.replace(/\D/g, '').endsWith(phone.replace(/\D/g, '')) && /\b\d{6}\b/.test(s.text));
    if (m !== undefined) return /\b(\d{6})\b/.exec(m.text)![1]!;
    if (Date.now() > until) throw new Error(`no SMS code for ${phone}: ${JSON.stringify(sinks.sms)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A booking of ID cards at `slot`, confirmed by SMS code, as the portal makes it. */
async function book(slot: { id: string; time: string; startAt: number }, name: string, phone: string): Promise<Booked> {
  const hold = await post(host.url, '/api/v1/booking/holds', {}, { slotId: slot.id, name, phone, channel: 'sms' });
  expect(hold.status, JSON.stringify(hold.json)).toBe(201);
  const confirmed = await post(host.url, `/api/v1/booking/holds/${hold.json.holdKey}/code`, {}, { code: await smsCode(phone) });
  expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
  expect(confirmed.json.state).toBe('confirmed');
  return { slotTime: slot.time, startAt: slot.startAt, number: confirmed.json.number, kioskCode: confirmed.json.kioskCode, name };
}

/** "I have a booking" → the code on the keypad → Confirm. */
async function typeCode(code: string): Promise<void> {
  await kiosk.locator('[data-action="booking"]').click();
  for (const digit of code) await kiosk.locator(`[data-key="${digit}"]`).click();
  expect(await kiosk.getByTestId('booking-code').textContent()).toBe(code);
  await kiosk.locator('[data-key="confirm"]').click();
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-check-in-e2e-'));
  host = await startHost(dir, 0, { FRONTA_FAKE_CLOCK: new Date(START).toISOString() });
  expect(await (await fetch(`${host.url}/test/clock`)).json()).toEqual({ now: START });

  // Six free times of today at least 30 minutes apart, the first after 08:30.
  const slots = (await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days/${DAY}/slots`)).json()) as {
    slots: { id: string; time: string; startAt: number; free: number }[];
  };
  const picked: typeof slots.slots = [];
  for (const s of slots.slots) {
    if (s.free > 0 && s.startAt >= START + 30 * MIN && (picked.length === 0 || s.startAt >= picked[picked.length - 1]!.startAt + 30 * MIN)) picked.push(s);
    if (picked.length === 6) break;
  }
  expect(picked.length, JSON.stringify(slots)).toBe(6);
  const people = ['Jana Nováková', 'Petr Svoboda', 'Marie Dvořáková', 'Tomáš Černý', 'Eva Procházková', 'Jiří Kučera'];
  for (const [i, slot] of picked.entries()) bookings.push(await book(slot, people[i]!, `+42060100010${i}`));

  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  kiosk = await context.newPage();
  await kiosk.goto(`${host.url}/kiosk`);
  await kiosk.locator('#token').fill(readDemoCredentials(dir).kioskToken);
  await kiosk.getByRole('button', { name: /Pair|Spárovat/ }).click();
  await kiosk.locator('[data-action="booking"]').waitFor();
}, 90_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('booked clients check in at the kiosk (test clock, Chromium, virtual printer)', () => {
  // −16, −15, 0, +15, +16 minutes from each booking's time, in this order (the clock only moves forward).
  const cases = [
    { offset: -16, outcome: 'early' },
    { offset: -15, outcome: 'accepted' },
    { offset: 0, outcome: 'accepted' },
    { offset: 15, outcome: 'accepted' },
    { offset: 16, outcome: 'lapsed' },
  ] as const;

  for (const [i, c] of cases.entries()) {
    it(`${c.offset > 0 ? '+' : c.offset < 0 ? '−' : ''}${Math.abs(c.offset)} min: ${c.outcome}`, async () => {
      const b = bookings[i]!;
      await setHostClock(host.url, b.startAt + c.offset * MIN);
      const before = (await printed()).length;
      await typeCode(b.kioskCode);
      const shot = join(SCREENSHOTS, `kiosk-check-in-${c.offset < 0 ? 'minus' : 'plus'}${Math.abs(c.offset)}min-cs.png`);
      if (c.outcome === 'accepted') {
        const number = kiosk.getByTestId('ticket-number');
        await number.waitFor();
        const shown = (await number.textContent())!.trim();
        expect(shown).toMatch(/^A\d{3}$/);
        await expect.poll(() => kiosk.locator('.issued .load').textContent()).toBe(`Objednávka na ${b.slotTime}: budete vyvoláni ve svůj čas`);
        await kiosk.screenshot({ path: shot });
        // The ticket's bytes reached the virtual printer: decoded, it bears the same number.
        await expect.poll(async () => (await printed()).length, { timeout: 5000 }).toBe(before + 1);
        const ticket = (await printed())[0]!;
        expect(ticket.lines).toContain(shown);
        expect(ticket.lines.join('\n')).toContain('Občanské průkazy a pasy');
        // Which booking it is for, under the number, in the kiosk's language and office time.
        expect(ticket.lines[ticket.lines.indexOf(shown) + 1]).toBe(`Objednávka na ${b.slotTime}`);
        expect(ticket.cut).toBe(true);
        accepted.push({ number: shown, statusPath: new URL(ticket.qr[0]!).pathname, booking: b });
        await kiosk.getByRole('button', { name: 'Hotovo' }).click();
      } else {
        const message = kiosk.getByTestId('booking-message');
        const expected =
          c.outcome === 'early'
            ? `Na svou objednávku jdete příliš brzy. Vraťte se prosím v ${hhmm(b.startAt - 15 * MIN)}.`
            : 'Vaše objednávka propadla: čas pro přihlášení uplynul. Objednejte se znovu nebo se obraťte na informace.';
        await expect.poll(() => message.textContent()).toBe(expected);
        await kiosk.screenshot({ path: shot });
        if (c.outcome === 'early') {
          // A refusal that carried a time cannot be said again without it: a change of language
          // drops it rather than leave Czech on an English screen; the code stays as typed.
          await kiosk.getByRole('button', { name: 'English' }).click();
          await expect.poll(() => message.textContent()).toBe('');
          expect(await kiosk.getByTestId('booking-code').textContent()).toBe(b.kioskCode);
          await kiosk.getByRole('button', { name: 'Čeština' }).click();
          await kiosk.locator('html[lang="cs"]').waitFor({ state: 'attached' });
        }
        // Nothing was printed, and the booking is as the rule says.
        expect((await printed()).length).toBe(before);
        const status = await (await fetch(`${host.url}/api/v1/booking/bookings/${b.number}`)).json();
        expect(status.state).toBe(c.outcome === 'early' ? 'confirmed' : 'lapsed');
        await kiosk.getByRole('button', { name: 'Zpět' }).click();
      }
      await kiosk.locator('[data-action="booking"]').waitFor();
    });
  }

  it('three tickets were printed, with numbers in check-in order', () => {
    expect(accepted.map((a) => a.number)).toEqual(['A001', 'A002', 'A003']);
  });
});

// Each of these drives two pages through a dozen steps; alone they take 4 and 13 s, but with the
// rest of the suite on the same two cores they have needed more than the default 30.
describe('at the counter and on the ticket’s status page', { timeout: 90_000 }, () => {
  let counter: Page;
  let status: Page;

  it('a clerk finds a booking by name and time, sees what to verify, and checks it in by hand', async () => {
    const sixth = bookings[5]!;
    counter = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await counter.goto(`${host.url}/renderer/counter/?lang=cs`);
    const creds = readDemoCredentials(dir).clerk;
    await counter.locator('#username').fill(creds.username);
    await counter.locator('#password').fill(creds.password);
    await counter.locator('#password').press('Enter');
    await counter.locator('.picker').waitFor();
    await counter.keyboard.press('3'); // counter 3: ID cards only
    await counter.locator('#current-number, .current .none').first().waitFor();

    await counter.keyboard.press('c');
    await counter.locator('#booking-name').waitFor();
    // Case and accents do not matter. While the clerk types, a walk-in joins the queue (from the
    // same kiosk, printed): the page re-renders and the field keeps what was typed, caret included.
    const list = counter.getByTestId('waiting-list');
    await counter.locator('#booking-name').pressSequentially('kuc');
    const walkIn = await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}` }, { serviceId: 'id-cards' });
    expect(walkIn.status).toBe(201);
    await expect.poll(() => list.locator('.kind.walk-in').count(), { timeout: 5000 }).toBe(1);
    await counter.locator('#booking-name').pressSequentially('era');
    expect(await counter.locator('#booking-name').inputValue()).toBe('kucera');
    await counter.locator('#booking-time').fill(sixth.slotTime);
    await counter.locator('#booking-time').press('Enter');
    const candidate = counter.locator(`[data-booking="${sixth.number}"]`);
    await candidate.waitFor();
    expect(await counter.getByTestId('candidates').locator(':scope > li').count()).toBe(1);
    const text = (await candidate.textContent())!;
    expect(text).toContain('Jméno v objednávce: Jiří Kučera');
    expect(text).toContain('Telefon končí …105');
    expect(text).toContain(`Občanské průkazy a pasy v ${sixth.slotTime}`);
    await counter.screenshot({ path: join(SCREENSHOTS, 'counter-check-in-search-cs.png') });
    await candidate.getByRole('button', { name: /Přihlásit/ }).click();
    const done = counter.getByTestId('checked-in');
    await done.waitFor();
    expect(await done.textContent()).toMatch(/Přihlášeno: lístek A\d{3} pro Jiří Kučera/);
    await counter.screenshot({ path: join(SCREENSHOTS, 'counter-checked-in-cs.png') });
    expect((await (await fetch(`${host.url}/api/v1/booking/bookings/${sixth.number}`)).json()).state).toBe('checked_in');
    // Escape closes the dialog, even from one of its fields.
    await counter.locator('#booking-number').focus();
    await counter.keyboard.press('Escape');
    await counter.locator('dialog').waitFor({ state: 'detached' });

    // The queue: three booked arrivals whose time has come, one early, one walk-in, each marked.
    await expect.poll(() => list.locator('li').count(), { timeout: 5000 }).toBe(5);
    const rows = await list.locator('li').allTextContents();
    expect(await list.locator('.kind.booked').count()).toBe(4);
    expect(await list.locator('.kind.walk-in').allTextContents()).toEqual(['bez objednávky']);
    for (const a of accepted) expect(rows.find((r) => r.startsWith(a.number))).toContain(`objednávka ${a.booking.slotTime}`);
    await counter.screenshot({ path: join(SCREENSHOTS, 'counter-queue-booked-cs.png') });
  });

  it('a booked ticket’s status page works like a walk-in’s, and its booking is done once served', async () => {
    const [first, second] = accepted;
    status = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await status.goto(`${host.url}${second!.statusPath}?lang=cs`);
    await expect.poll(() => status.getByTestId('number').textContent(), { timeout: 10_000 }).toBe(second!.number);
    expect(await status.getByTestId('booked').textContent()).toBe(`Objednávka na ${second!.booking.slotTime}`);
    // Ahead in the order counters call: only the booked arrival due earlier, not the walk-in.
    await expect.poll(() => status.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('Před vámi je 1 člověk');
    await status.screenshot({ path: join(SCREENSHOTS, 'ticket-status-booked-cs.png') });

    // Call next (N): the earliest booked arrival whose time has come, marked booked at the counter.
    await counter.keyboard.press('n');
    await expect.poll(() => counter.locator('#current-number').textContent(), { timeout: 5000 }).toBe(first!.number);
    expect(await counter.getByTestId('current-kind').textContent()).toBe(`objednávka ${first!.booking.slotTime}`);
    await counter.screenshot({ path: join(SCREENSHOTS, 'counter-current-booked-cs.png') });
    await expect.poll(() => status.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('Jste na řadě jako další');

    // Done (D): the first booking is served, and its public status says so.
    await counter.keyboard.press('d');
    await counter.locator('.current .none').waitFor();
    await expect.poll(async () => (await (await fetch(`${host.url}/api/v1/booking/bookings/${first!.booking.number}`)).json()).state, LOOKUP_POLL).toBe('done');

    // The next call is the second booked arrival: its page says "your turn", then done.
    await counter.keyboard.press('n');
    await expect.poll(() => counter.locator('#current-number').textContent(), { timeout: 5000 }).toBe(second!.number);
    await expect.poll(() => status.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('Jste na řadě: přepážka 3');
    expect(await status.getByTestId('booked').count()).toBe(0);
    await status.screenshot({ path: join(SCREENSHOTS, 'ticket-status-booked-called-cs.png') });
    await counter.keyboard.press('n'); // call-next ends the second as served too
    await expect.poll(async () => (await (await fetch(`${host.url}/api/v1/booking/bookings/${second!.booking.number}`)).json()).state, LOOKUP_POLL).toBe('done');
    await expect.poll(() => status.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('Vyřízeno. Děkujeme za návštěvu.');
  }, 60_000);
});
