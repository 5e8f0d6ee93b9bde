import { html, nothing, type TemplateResult } from 'lit-html';
import { currentLang, isLang, LANG_NAMES, languagePicker, t } from '../shared/i18n.ts';
import { logout } from '../shared/login.ts';
import { alertsPanel } from '../shared/alerts.ts';
import { button, errorSummary, field } from '../shared/ui.ts';
import { closeForDay, crisisFieldId, setCrisis } from './actions.ts';
import { load } from './sync.ts';
import { fail, minutesSince, running, state, type BookingSettings } from './state.ts';

/** The floor view: counters, the lines (a table, numbers right-aligned), online booking, kiosk printers. */

function header(): TemplateResult {
  return html`<header class="top">
    <h1>${t('floor.title')}</h1>
    <div class="who">
      <span>${state.me?.displayName ?? ''}</span>
      ${languagePicker(() => void load().catch(fail))} ${button({ label: t('ui.signOut'), onClick: () => void logout().then(() => location.reload()) })}
    </div>
  </header>`;
}

function countersCard(f: NonNullable<typeof state.floor>): TemplateResult {
  const prefixes = new Map(f.services.map((s) => [s.id, s.prefix]));
  return html`<section class="card">
    <h2>${t('floor.counters')}</h2>
    <div class="counters">
      ${f.counters.map((c) => {
        const tk = c.ticket;
        return html`<article class=${`counter ${c.counter.status}`} data-counter=${c.counter.id}>
          <div class="n">${t('counter.counterN', { number: c.counter.number })}</div>
          <div class="status">${t(`floor.status.${c.counter.status}`)}</div>
          <div class="clerk">${c.clerk?.displayName ?? t('ui.none')}</div>
          <div class="ticket">${tk === null ? t('ui.none') : `${tk.number} · ${t(`counter.state.${tk.state}`)}`}</div>
          <div class="svc">${c.counter.serviceIds.map((id) => prefixes.get(id) ?? id).join(' ')}</div>
        </article>`;
      })}
    </div>
  </section>`;
}

const minutes = (n: number | null): string => (n === null ? t('ui.none') : t('ui.minutes', { count: n }));

function servicesCard(f: NonNullable<typeof state.floor>): TemplateResult {
  return html`<section class="card">
    <h2 id="services-title">${t('floor.services')}</h2>
    <table class="services" aria-labelledby="services-title">
      <thead>
        <tr>
          <th scope="col">${t('floor.services')}</th>
          <th scope="col" class="num">${t('floor.waiting')}</th>
          <th scope="col" class="num">${t('floor.longestWait')}</th>
          <th scope="col" class="num">${t('floor.estimatedWait')}</th>
          <th scope="col"><span class="sr-only">${t('floor.action')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${f.services.map(
          (s) => html`<tr class=${s.closedForDay ? 'closed' : ''} data-service=${s.id}>
            <th scope="row">${s.prefix} · ${s.name}</th>
            <td class="num waiting">${s.waiting}</td>
            <td class="num">${minutes(s.oldestArrivedAt === null ? null : minutesSince(s.oldestArrivedAt))}</td>
            <td class="num">${minutes(s.estimatedWaitMin)}</td>
            <td class="act">
              ${s.closedForDay
                ? html`<strong>${t('floor.closedToday')}</strong>`
                : button({ label: t('floor.closeForDay'), onClick: () => closeForDay(s.id, s.name), isBusy: running.isBusy(`close:${s.id}`) })}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/** The crisis switch: what the public sees now, and the one button that changes it. */
function bookingCard(b: BookingSettings): TemplateResult {
  const last = b.history[0];
  const shown = b.suspendedMessage[currentLang()] ?? b.suspendedMessage[b.languages[0] ?? 'en'] ?? '';
  const errorOf = (fieldId: string): string | undefined => state.crisis.errors.find((e) => e.fieldId === fieldId)?.message;
  return html`<section class="card booking">
    <h2>${t('floor.booking.title')}</h2>
    <p class=${b.suspended ? 'state stopped' : 'state open'} data-testid="booking-state">${t(b.suspended ? 'floor.booking.stopped' : 'floor.booking.open')}</p>
    ${b.suspended
      ? html`<blockquote>${shown}</blockquote>
          <button type="button" data-testid="booking-resume" ?disabled=${running.isBusy('crisis')} @click=${() => setCrisis(false)}>${t('floor.booking.resume')}</button>`
      : html`<fieldset class="crisis">
          <legend>${t('floor.booking.message')}</legend>
          ${errorSummary(t('ui.errorSummary'), state.crisis.errors)}
          ${b.languages.map((l) =>
            field({
              id: crisisFieldId(l),
              label: t('floor.booking.messageIn', { language: isLang(l) ? LANG_NAMES[l] : l }),
              value: state.crisis.messages[l] ?? '',
              onInput: (v) => (state.crisis.messages[l] = v),
              error: errorOf(crisisFieldId(l)),
              maxlength: 500,
              className: 'crisis-message',
            }),
          )}
          <button type="button" class="danger" data-testid="booking-stop" ?disabled=${running.isBusy('crisis')} @click=${() => setCrisis(true)}>${t('floor.booking.stop')}</button>
        </fieldset>`}
    ${last === undefined ? nothing : html`<p class="last">${t('floor.booking.lastChange', { who: last.username ?? last.userId, at: new Date(last.at).toLocaleString(currentLang()) })}</p>`}
  </section>`;
}

function printersCard(f: NonNullable<typeof state.floor>): TemplateResult {
  return html`<section class="card">
    <h2>${t('floor.printers')}</h2>
    <ul>
      ${f.kiosks.map((k) => html`<li>${k.name}: ${k.printer === null ? t('floor.noReport') : t(`printerState.${k.printer}`)}</li>`)}
    </ul>
  </section>`;
}

function floorNames(f: NonNullable<typeof state.floor>) {
  return {
    service: (id: string) => {
      const s = f.services.find((x) => x.id === id);
      return s === undefined ? id : `${s.prefix} · ${s.name}`;
    },
    kiosk: (id: string) => f.kiosks.find((k) => k.id === id)?.name ?? id,
    // The floor PC stands in the office: its own clock's zone is the office's.
    timeZone: null,
  };
}

export function view(): unknown {
  const error = html`<p role="alert" class="error">${state.message}</p>`;
  if (state.me === null) return error;
  if (state.me.role === 'clerk') return html`<p role="alert" class="error">${t('floor.notSupervisor')}</p>`;
  const f = state.floor;
  if (f === null) return html`${header()}${error}`;
  return html`${header()}
    <main class="floor">
      ${alertsPanel(state.alerts, floorNames(f), { showNone: true })} ${countersCard(f)} ${servicesCard(f)} ${state.booking === null ? nothing : bookingCard(state.booking)} ${printersCard(f)} ${error}
    </main>`;
}

