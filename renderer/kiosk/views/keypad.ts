import { html, nothing, type TemplateResult } from 'lit-html';
import { classMap } from 'lit-html/directives/class-map.js';
import { t } from '../../shared/i18n.ts';
import { checkIn, confirmCode, deleteDigit, go, typeDigit } from '../actions.ts';
import type { Speech } from '../speech.ts';
import { BOOKING_CODE_LENGTH, type Kiosk, type Screen } from '../state.ts';

type BookingScreen = Extract<Screen, { kind: 'booking' }>;

/**
 * The booking code keypad. One box per digit shows how many are needed and how many are in;
 * after a refusal the code stays as typed, so one wrong digit is corrected, not all eight.
 */
export function keypadScreen(k: Kiosk, speech: Speech, s: BookingScreen): TemplateResult {
  const isBusy = k.actions.isBusy('check-in');
  const left = BOOKING_CODE_LENGTH - s.code.length;
  const slots = Array.from({ length: BOOKING_CODE_LENGTH }, (_, i) => s.code[i] ?? '');
  const key = (d: string): TemplateResult =>
    html`<button type="button" class="key" data-key=${d} ?disabled=${left === 0} @click=${() => typeDigit(k, d)}>${d}</button>`;
  return html`<div class="booking">
    <div class="booking-entry">
      <p class="prompt" id="booking-title">${t('kiosk.bookingTitle')}</p>
      <p class="hint" id="booking-length">${t('kiosk.codeLength', { count: BOOKING_CODE_LENGTH })}</p>
      <output class="code" data-testid="booking-code" aria-labelledby="booking-title" aria-describedby="booking-progress"
        >${slots.map((d) => html`<span class=${classMap({ slot: true, empty: d === '' })}>${d}</span>`)}</output
      >
      <p class="progress" id="booking-progress" aria-live="polite">${left > 0 ? t('kiosk.codeRemaining', { count: left }) : t('kiosk.codeComplete')}</p>
      <p class=${classMap({ notice: true, error: s.error !== null })} role="status" data-testid="booking-message">${s.error?.message ?? ''}</p>
      <div class="extras">
        ${s.offerWalkIn
          ? html`<button type="button" class="primary" data-action="walk-in" ?disabled=${isBusy} @click=${() => checkIn(k, speech, s.code, true)}>${t('kiosk.takeWalkIn')}</button>`
          : nothing}
        <button type="button" class="secondary" data-action="back" @click=${() => go(k, { kind: 'home' })}>${t('kiosk.back')}</button>
      </div>
    </div>
    <div class="keypad" role="group" aria-label=${t('kiosk.bookingTitle')}>
      ${['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(key)}
      <button type="button" class="key wide" data-key="delete" ?disabled=${s.code === ''} @click=${() => deleteDigit(k)}>${t('kiosk.delete')}</button>
      ${key('0')}
      <button type="button" class="key wide primary" data-key="confirm" ?disabled=${left > 0 || isBusy} aria-busy=${isBusy ? 'true' : 'false'} @click=${() => confirmCode(k, speech)}>
        ${t('kiosk.confirm')}
      </button>
    </div>
  </div>`;
}
