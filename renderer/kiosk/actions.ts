import { IssuedTicketResponse } from '../../contracts/api.ts';
import { CheckInResponse } from '../../contracts/check-in.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { currentLang, setLang, t, type Lang } from '../shared/i18n.ts';
import { BOOKING_CODE_LENGTH, defaultLang, IDLE_MS, DATABASE_RETRY_MS, RESULT_SHOW_MS, STORAGE_RETRY_MS, type Kiosk, type KioskError, type Screen } from './state.ts';
import type { Speech } from './speech.ts';
import { loadAll, reloadSoon } from './sync.ts';

/**
 * What a touch does. Every request runs through `actions` (a second tap while one is out does
 * nothing); every timer changes the state and calls update(), like a touch.
 */

export function go(k: Kiosk, screen: Screen): void {
  window.clearTimeout(k.timers.screen);
  k.state.screen = screen;
  k.update();
}

/** The issued or failed screen, then the first screen again for the next client. */
function showResult(k: Kiosk, screen: Screen): void {
  go(k, screen);
  k.timers.screen = window.setTimeout(() => go(k, { kind: 'home' }), RESULT_SHOW_MS);
}

/** A refusal as the host said it (already in the kiosk's language), or the kiosk's own words. */
function toKioskError(err: unknown): KioskError {
  if (err instanceof ApiFailure) return { code: err.code, message: err.code === 'NETWORK' ? t('ui.connectionLost') : err.message };
  return { code: 'UNKNOWN', message: err instanceof Error ? err.message : String(err) };
}

const isPrinterError = (e: KioskError): boolean => e.code.startsWith('PRINT');

/**
 * The host cannot save anything: its disk is full (STORAGE_FULL) or its database server is out of
 * reach (DATABASE_UNAVAILABLE). The kiosk is out of order rather than failing client after client.
 * A full disk still answers reads, so the next client may simply try again after a while (the host
 * takes writes again by itself once space is back); a lost database answers nothing, so the kiosk
 * asks again every few seconds and offers its services once the host answers. Answers whether it
 * was one of those.
 */
function outOfOrderIfHostUnable(k: Kiosk, e: KioskError): boolean {
  if (e.code !== 'STORAGE_FULL' && e.code !== 'DATABASE_UNAVAILABLE') return false;
  k.state.isHostUnable = true;
  window.clearTimeout(k.timers.hostBack);
  if (e.code === 'STORAGE_FULL') k.timers.hostBack = window.setTimeout(() => backInOrder(k), STORAGE_RETRY_MS);
  else waitForDatabase(k);
  go(k, { kind: 'home' });
  return true;
}

function backInOrder(k: Kiosk): void {
  k.state.isHostUnable = false;
  k.update();
}

/** Reads the kiosk's state again until the host answers (the database is back), then back in order. */
function waitForDatabase(k: Kiosk): void {
  k.timers.hostBack = window.setTimeout(() => {
    loadAll(k).then(
      () => backInOrder(k),
      () => waitForDatabase(k),
    );
  }, DATABASE_RETRY_MS);
}

/**
 * The same refusal in the language just chosen, from the catalogue the host translates it
 * with. A message that carried a value (a time, seconds left) cannot be said again without it:
 * it is dropped rather than left in the previous language.
 */
export function inCurrentLanguage(e: KioskError): KioskError | null {
  if (e.code === 'NETWORK') return { code: e.code, message: t('ui.connectionLost') };
  const key = `errors.${e.code}`;
  let isMissingValue = false;
  const message = t(key, {
    interpolation: {
      missingInterpolationHandler: () => {
        isMissingValue = true;
        return '';
      },
    },
  });
  // i18next leaves a placeholder it has no value for as it stands ("{{time}}").
  return message === key || message === '' || isMissingValue || message.includes('{{') ? null : { code: e.code, message };
}

export function issue(k: Kiosk, speech: Speech, serviceId: string, categoryId: string | null): void {
  k.actions.run(
    'issue',
    async () => {
      go(k, { kind: 'printing' });
      const r = await api('POST', '/tickets', IssuedTicketResponse, { serviceId, categoryId });
      showIssued(k, speech, r, null);
    },
    (err) => {
      const error = toKioskError(err);
      if (outOfOrderIfHostUnable(k, error)) return;
      showResult(k, { kind: 'failed', error });
      if (isPrinterError(error)) speech.say(k.state.isAccessible, 'failed');
      // A void gave its walk-in place back, a closure may have come in meanwhile.
      reloadSoon(k);
    },
  );
}

/** The issued screen for a ticket the host answered, and its number spoken in accessible mode. */
function showIssued(
  k: Kiosk,
  speech: Speech,
  r: { ticket: { number: string; serviceId: string; categoryId: string | null }; ahead: number; estimatedWaitMin: number | null },
  bookedTime: string | null,
): void {
  showResult(k, { kind: 'issued', number: r.ticket.number, serviceId: r.ticket.serviceId, categoryId: r.ticket.categoryId, ahead: r.ahead, estimatedWaitMin: r.estimatedWaitMin, bookedTime });
  speech.say(k.state.isAccessible, 'issued', r.ticket.number);
}

/** A booked client checks in with the code from the keypad (or a scanner typing like a keyboard). */
export function checkIn(k: Kiosk, speech: Speech, code: string, walkIn: boolean): void {
  k.actions.run(
    'check-in',
    async () => {
      go(k, { kind: 'printing' });
      const r = await api('POST', '/kiosk/check-in', CheckInResponse, { code, walkIn });
      showIssued(k, speech, r, r.walkIn ? null : r.bookedTime);
    },
    (err) => {
      const error = toKioskError(err);
      if (outOfOrderIfHostUnable(k, error)) return;
      if (isPrinterError(error)) {
        showResult(k, { kind: 'failed', error });
        speech.say(k.state.isAccessible, 'failed');
        return;
      }
      // Unknown, too early, lapsed, locked: said on the keypad, the code as typed still there
      // to correct one digit rather than type all eight again.
      go(k, { kind: 'booking', code, error, offerWalkIn: error.code === 'BOOKING_LATE_WALK_IN' });
    },
  );
}

export function typeDigit(k: Kiosk, digit: string): void {
  const s = k.state.screen;
  if (s.kind !== 'booking' || s.code.length >= BOOKING_CODE_LENGTH) return;
  go(k, { kind: 'booking', code: s.code + digit, error: null, offerWalkIn: false });
}

export function deleteDigit(k: Kiosk): void {
  const s = k.state.screen;
  if (s.kind !== 'booking') return;
  go(k, { kind: 'booking', code: s.code.slice(0, -1), error: null, offerWalkIn: false });
}

export function confirmCode(k: Kiosk, speech: Speech): void {
  const s = k.state.screen;
  if (s.kind === 'booking' && s.code.length === BOOKING_CODE_LENGTH) checkIn(k, speech, s.code, false);
}

/** The passer-by's language: the screen, its errors, and what the host says from now on. */
export async function chooseLang(k: Kiosk, lang: Lang): Promise<void> {
  await setLang(lang, false);
  const s = k.state.screen;
  if (s.kind === 'booking' && s.error !== null) k.state.screen = { ...s, error: inCurrentLanguage(s.error) };
  if (s.kind === 'failed') {
    const error = inCurrentLanguage(s.error);
    if (error !== null) k.state.screen = { kind: 'failed', error };
  }
  k.update();
  // Department names come in the request's language.
  await loadAll(k).catch(() => undefined);
}

export function toggleAccessible(k: Kiosk, speech: Speech): void {
  k.state.isAccessible = !k.state.isAccessible;
  k.update();
  speech.say(k.state.isAccessible, 'welcome');
}

function resetToStart(k: Kiosk): void {
  k.state.isAccessible = false;
  go(k, { kind: 'home' });
  if (currentLang() !== defaultLang(k.state)) void chooseLang(k, defaultLang(k.state));
  else reloadSoon(k);
}

/** Any touch or key: the idle countdown starts again. */
export function touched(k: Kiosk): void {
  window.clearTimeout(k.timers.idle);
  k.timers.idle = window.setTimeout(() => {
    const s = k.state;
    if (s.screen.kind !== 'home' || currentLang() !== defaultLang(s) || s.isAccessible) resetToStart(k);
  }, IDLE_MS);
}
