import { html, nothing, type TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import type { OwnBookingT } from '../../../contracts/booking.ts';
import { formatDateTime, t } from '../../shared/i18n.ts';
import { button, errorSummary, field } from '../../shared/ui.ts';
import { holdAction } from '../actions.ts';
import { WARN_BEFORE_MS, type Portal, type ScreenOf } from '../state.ts';
import { dayLabel, heading, linkTo, qr, summary, whenText } from './parts.ts';

/** The hold (countdown, confirm by code or link) and the confirmed booking. */

function left(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const focused = new WeakSet<Element>();
/** The code field takes the focus once, when the hold screen appears: the eye and the keyboard are there. */
const focusOnce = ref((form) => {
  if (form === undefined || focused.has(form)) return;
  focused.add(form);
  // Once the new screen is in the document (after the heading took the focus).
  queueMicrotask(() => form.querySelector('input')?.focus());
});

const bookingWhen = (b: OwnBookingT): string => whenText(b.startAt, b.timeZone, `${dayLabel(b.day)} ${b.time}`);

/** How to confirm: the SMS code right under the instruction, or where the e-mail went. */
function confirmPart(p: Portal, s: ScreenOf<'hold'>): TemplateResult {
  const b = s.booking;
  if (b.channel === 'email') return html`<p class="lead">${t('portal.hold.emailSent')}</p>`;
  const c = p.state.contact;
  return html`<form
    class="details"
    novalidate
    ${focusOnce}
    @submit=${(e: Event) => {
      e.preventDefault();
      holdAction(p, s, 'code');
    }}
  >
    ${field({
      id: 'code',
      label: t('portal.hold.codeLabel'),
      value: c.code,
      onInput: (v) => (c.code = v),
      error: s.problems.find((x) => x.fieldId === 'code')?.message,
      hint: t('portal.hold.smsSent'),
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      maxlength: 6,
      isRequired: true,
      className: 'otp',
    })}
    <div class="actions">
      ${button({ label: t('portal.hold.confirmCode'), onClick: () => undefined, type: 'submit', isPrimary: true, isBusy: p.actions.isBusy('code'), id: 'hold-code' })}
      ${button({ label: t('portal.hold.resend'), onClick: () => holdAction(p, s, 'resend'), isBusy: p.actions.isBusy('resend'), id: 'hold-resend' })}
    </div>
  </form>`;
}

export function holdView(p: Portal, s: ScreenOf<'hold'>): TemplateResult {
  const b = s.booking;
  const expiresAt = b.holdExpiresAt;
  const ms = expiresAt === null ? Infinity : expiresAt - p.state.now;
  const until = expiresAt === null || b.timeZone === undefined ? '' : formatDateTime(expiresAt, b.timeZone, { hour: 'numeric', minute: '2-digit' });
  const isWarned = ms <= WARN_BEFORE_MS;
  return html`${heading(t('portal.hold.title'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <section class="card" aria-labelledby="confirm-title">
      <h2 id="confirm-title">${t('portal.hold.howToConfirm')}</h2>
      ${confirmPart(p, s)}
    </section>
    <section class="card" aria-labelledby="timer-title">
      <h2 id="timer-title">${t('portal.hold.timeLeft', { time: until })}</h2>
      <!-- Read out on demand, not every second: the alert below carries the warning. -->
      <p class="countdown" id="countdown" aria-hidden="true">${expiresAt === null ? '' : left(ms)}</p>
      <p class="warn" id="hold-warning" role="alert" ?hidden=${!isWarned}>${isWarned ? (b.canExtend ? t('portal.hold.warnExtend', { minutes: 2 }) : t('portal.hold.warn', { minutes: 2 })) : ''}</p>
      ${s.notice === '' ? nothing : html`<p class="notice" role="status">${s.notice}</p>`}
      <div class="actions">
        ${b.canExtend ? button({ label: t('portal.hold.extend'), onClick: () => holdAction(p, s, 'extend'), isBusy: p.actions.isBusy('extend'), id: 'hold-extend' }) : nothing}
        ${button({ label: t('portal.hold.release'), onClick: () => holdAction(p, s, 'release'), isBusy: p.actions.isBusy('release'), id: 'hold-release' })}
      </div>
    </section>
    <section class="card" aria-labelledby="held-title">
      <h2 id="held-title">${t('portal.hold.heldFor')}</h2>
      ${summary([
        [t('portal.service'), b.serviceName],
        [t('portal.office'), b.officeName],
        [t('portal.when'), bookingWhen(b)],
      ])}
    </section>`;
}

/** The booking as confirmed: kiosk code (with its QR), number, time, the calendar file. */
export function bookingCard(p: Portal, b: OwnBookingT): TemplateResult {
  const number = b.number ?? '';
  const code = b.kioskCode ?? '';
  return html`<section class="card" aria-labelledby="code-title">
      <h2 id="code-title">${t('portal.confirmed.kioskCode')}</h2>
      <p class="big-code" data-testid="kiosk-code">${code.replace(/(\d{4})(\d{4})/, '$1 $2')}</p>
      <p class="hint">${t('portal.confirmed.kioskHint')}</p>
      ${code === '' ? nothing : qr(code, t('portal.confirmed.qrLabel', { code }))}
    </section>
    <section class="card" aria-labelledby="booking-title">
      <h2 id="booking-title">${t('portal.confirmed.details')}</h2>
      ${summary([
        [t('portal.number'), number],
        [t('portal.service'), b.serviceName],
        [t('portal.office'), b.officeName],
        [t('portal.when'), bookingWhen(b)],
      ])}
    </section>
    <span hidden data-testid="booking-number">${number}</span>
    <div class="actions">
      <a class="button" href=${`/api/v1/booking/bookings/${encodeURIComponent(number)}/ics`} download=${`booking-${number}.ics`} data-action="ics">${t('portal.confirmed.ics')}</a>
      <a class="button" href=${linkTo(p, { number })}>${t('portal.confirmed.status')}</a>
    </div>
    <p class="hint">${t('portal.confirmed.cancelHint')}</p>`;
}

export function confirmedView(p: Portal, b: OwnBookingT): TemplateResult {
  return html`${heading(t('portal.confirmed.title'))}
    <p class="lead" role="status">${t('portal.confirmed.lead')}</p>
    ${bookingCard(p, b)}`;
}
