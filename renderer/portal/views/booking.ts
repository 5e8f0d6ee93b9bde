import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { formatMoney, t } from '../../shared/i18n.ts';
import { button, errorSummary, field } from '../../shared/ui.ts';
import { chooseDay, chooseService, chooseTime, go, requestHold } from '../actions.ts';
import { NOON_MIN, type Part, type Portal, type ScreenOf, type Service, type Slot } from '../state.ts';
import { backButton, dayLabel, heading, linkTo, summary, timeText } from './parts.ts';

/** The booking flow's screens: service → day → time → the citizen's details. */

/** A fee-paying service's amount and minutes to pay, told before a time is held. */
const feeText = (service: Service): string =>
  service.fee === null ? '' : t('portal.pay.fee', { amount: formatMoney(service.fee.amount, service.fee.currency), minutes: service.fee.deadlineMin });

const choice = (title: string, sub: string, onClick: () => void, isBusy: boolean): TemplateResult =>
  button({ label: html`<span class="title">${title}</span><span class="sub">${sub}</span>`, onClick, className: 'choice', isBusy });

export function servicesView(p: Portal): TemplateResult {
  const s = p.state.services;
  if (s === null) return heading(t('portal.title'));
  if (s.suspended) return html`${heading(t('portal.title'))}<p class="warn" role="alert">${t('portal.suspended')} ${s.suspendedMessage}</p>`;
  return html`${heading(t('portal.chooseService'))}
    <p class="lead">${t('portal.intro', { office: s.officeName })}</p>
    ${s.services.length === 0
      ? html`<p>${t('portal.noServices')}</p>`
      : html`<ul class="choices">
          ${s.services.map((x) => html`<li data-service=${x.id}>${choice(x.name, x.fee === null ? x.department : `${x.department} · ${feeText(x)}`, () => chooseService(p, x), p.actions.isBusy(`service:${x.id}`))}</li>`)}
        </ul>`}`;
}

export function daysView(p: Portal, s: ScreenOf<'days'>): TemplateResult {
  const open = s.days.filter((d) => d.status === 'open' && d.free > 0);
  const next = s.days.find((d) => d.status === 'not-yet' && d.opensAt !== null);
  const tz = p.state.services?.timeZone;
  return html`${heading(t('portal.chooseDay'))}
    <p class="lead">${s.service.name}</p>
    ${open.length === 0
      ? html`<p role="status">${t('portal.noDays')}</p>`
      : html`<ul class="choices">
          ${open.map((d) => html`<li data-day=${d.day}>${choice(dayLabel(d.day), t('portal.freePlaces', { count: d.free }), () => chooseDay(p, s.service, d.day), p.actions.isBusy(`day:${d.day}`))}</li>`)}
        </ul>`}
    ${next?.opensAt == null || tz === undefined ? nothing : html`<p class="notice">${t('portal.opensAt', { day: dayLabel(next.day), time: timeText(next.opensAt, tz, '') })}</p>`}
    ${backButton(t('portal.back'), () => go(p, { kind: 'services' }))}`;
}

const partOf = (slot: Slot): Part => {
  const [h = 0, m = 0] = slot.time.split(':').map(Number);
  return h * 60 + m < NOON_MIN ? 'morning' : 'afternoon';
};

/**
 * The free times of a day, morning and afternoon apart: a switch shows one half at a time, so a
 * phone shows a screenful of times, not sixty buttons in one scroll. Buttons are keyed by slot, so
 * a refresh of the list leaves the focus on the same time.
 */
export function timesView(p: Portal, s: ScreenOf<'times'>): TemplateResult {
  const tz = p.state.services?.timeZone;
  const parts = (['morning', 'afternoon'] as const).map((part) => ({ part, slots: s.slots.filter((x) => partOf(x) === part) })).filter((g) => g.slots.length > 0);
  const shown = parts.find((g) => g.part === s.part) ?? parts[0];
  return html`${heading(t('portal.chooseTime'))}
    <p class="lead">${s.service.name} · ${dayLabel(s.day)}</p>
    ${s.notice === '' ? nothing : html`<p class="warn" role="alert">${s.notice}</p>`}
    ${shown === undefined
      ? html`<p role="status">${t('portal.noTimes')}</p>`
      : html`${parts.length < 2
            ? nothing
            : html`<div class="parts" role="group" aria-label=${t('portal.partOfDay')}>
                ${parts.map(
                  (g) =>
                    html`<button
                      type="button"
                      class="part"
                      aria-pressed=${g === shown ? 'true' : 'false'}
                      @click=${() => {
                        s.part = g.part;
                        p.update();
                      }}
                    >
                      <span class="title">${t(`portal.part.${g.part}`)}</span><span class="sub">${t('portal.times', { count: g.slots.length })}</span>
                    </button>`,
                )}
              </div>`}
          <h2 class="sr-only">${t(`portal.part.${shown.part}`)}</h2>
          <ul class="choices grid">
            ${repeat(
              shown.slots,
              (x) => x.id,
              (x) => html`<li data-slot=${x.id}>${choice(timeText(x.startAt, tz, x.time), t('portal.freePlaces', { count: x.free }), () => chooseTime(p, s, x), false)}</li>`,
            )}
          </ul>
          <p class="hint">${t('portal.liveHint')}</p>`}
    ${backButton(t('portal.back'), () => chooseService(p, s.service))}`;
}

/** The service's identity key (chassis serial, passport holder) when it asks for one, under its own label. */
function identityKeyField(p: Portal, service: Service, error: string | undefined): TemplateResult | typeof nothing {
  const key = service.policy.identityKey;
  // A roster service asks for the document number on its roster (sent as the identity key).
  if (key === null && !service.roster) return nothing;
  const label = service.roster ? t('portal.field.documentNumber') : key === null || key.label === '' ? t('portal.field.identityKey') : key.label;
  return field({
    id: 'identityKey',
    label,
    value: p.state.contact.identityKey,
    onInput: (v) => (p.state.contact.identityKey = v),
    error,
    hint: service.roster ? t('portal.field.documentNumberHint') : t('portal.field.identityKeyHint', { label }),
    autocomplete: 'off',
    isRequired: service.roster || key?.required === true,
    maxlength: 64,
  });
}

export function detailsView(p: Portal, s: ScreenOf<'details'>): TemplateResult {
  const c = p.state.contact;
  const by = s.service.policy.confirmBy;
  if (!by.includes(c.channel)) c.channel = by[0] ?? 'email';
  const errorOf = (id: string): string | undefined => s.problems.find((x) => x.fieldId === id)?.message;
  const busy = p.actions.isBusy('hold');
  return html`${heading(t('portal.yourDetails'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <section class="card chosen" aria-labelledby="chosen">
      <h2 id="chosen">${t('portal.chosen')}</h2>
      ${summary([
        [t('portal.service'), s.service.name],
        [t('portal.when'), `${dayLabel(s.day)} ${timeText(s.slot.startAt, p.state.services?.timeZone, s.slot.time)}`],
        ...(s.service.fee === null ? [] : [[t('portal.pay.amount'), feeText(s.service)] as const]),
      ])}
    </section>
    <form
      class="details card"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        requestHold(p, s);
      }}
    >
      ${field({ id: 'name', label: t('portal.field.name'), value: c.name, onInput: (v) => (c.name = v), error: errorOf('name'), hint: t('portal.field.nameHint'), autocomplete: 'name', isRequired: true, maxlength: 120 })}
      ${identityKeyField(p, s.service, errorOf('identityKey'))}
      ${field({ id: 'email', label: t('portal.field.email'), value: c.email, onInput: (v) => (c.email = v), error: errorOf('email'), type: 'email', autocomplete: 'email', inputmode: 'email', maxlength: 254 })}
      ${field({ id: 'phone', label: t('portal.field.phone'), value: c.phone, onInput: (v) => (c.phone = v), error: errorOf('phone'), hint: t('portal.field.phoneHint'), type: 'tel', autocomplete: 'tel', maxlength: 32 })}
      <fieldset>
        <legend>${t('portal.field.confirmBy')}</legend>
        ${by.map(
          (ch) => html`<div class="radio">
            <input
              type="radio"
              name="channel"
              id=${`channel-${ch}`}
              value=${ch}
              .checked=${live(c.channel === ch)}
              @change=${(e: Event) => {
                if ((e.target as HTMLInputElement).checked) c.channel = ch;
              }}
            /><label for=${`channel-${ch}`}>${t(`portal.channel.${ch}`)}</label>
          </div>`,
        )}
      </fieldset>
      <p class="hint">${t('portal.privacyShort')} <a href=${linkTo(p, { view: 'privacy' })}>${t('portal.privacyLink')}</a></p>
      <div class="actions">${button({ label: t('portal.hold.submit'), onClick: () => undefined, type: 'submit', isPrimary: true, isBusy: busy, id: 'hold-submit' })}</div>
    </form>
    ${backButton(t('portal.otherTime'), () => chooseDay(p, s.service, s.day))}`;
}
