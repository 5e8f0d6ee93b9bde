import { html, nothing, type TemplateResult } from 'lit-html';
import { alertsPanel } from '../../shared/alerts.ts';
import { t } from '../../shared/i18n.ts';
import { act, resume } from '../actions.ts';
import { mine, minutesSince, running, serviceName, state, type Printer } from '../state.ts';
import { kindTag } from './work.ts';

/** The side of the counter page: the lines and their loads, who waits, parked tickets; printer warnings. */

/** Waiting tickets listed beside the loads: enough to see who is booked, not a wall of numbers. */
const WAITING_SHOWN = 12;

export function printerWarnings(): TemplateResult | typeof nothing {
  const troubled = [...state.printers.values()].filter((p) => p.isOutOfOrder || p.isPaperNearEnd);
  if (troubled.length === 0) return nothing;
  const line = (p: Printer): string => (p.isOutOfOrder ? t('counter.printerDown', { name: p.name, state: t(`printerState.${p.state}`) }) : t('counter.printerLow', { name: p.name }));
  return html`<section class="printer-warnings" role="alert">${troubled.map((p) => html`<p>${line(p)}</p>`)}</section>`;
}

/** The office's alerts but the printers' (shown by `printerWarnings` already). */
export function counterAlerts(): TemplateResult {
  const shown = state.alerts.filter((a) => a.kind !== 'printer_stopped' && a.kind !== 'paper_near_end');
  return alertsPanel(shown, { service: serviceName, kiosk: (id) => id, timeZone: state.timeZone }, { showNone: false });
}

/** Re-signing in with a subset narrows the counter for this session; the last one cannot be unticked. */
function servingToggle(serviceId: string): TemplateResult | typeof nothing {
  const c = mine()?.counter;
  if (c === undefined || !c.serviceIds.includes(serviceId)) return nothing;
  const active = c.sessionServiceIds ?? c.serviceIds;
  const isOn = active.includes(serviceId);
  return html`<input
    type="checkbox"
    id=${`serve-${serviceId}`}
    aria-label=${`${t('counter.servingNow')}: ${serviceName(serviceId)}`}
    title=${t('counter.servingNowHint')}
    .checked=${isOn}
    ?disabled=${running.isBusy('counter') || (isOn && active.length === 1)}
    @change=${(e: Event) => {
      const next = (e.target as HTMLInputElement).checked ? [...active, serviceId] : active.filter((id) => id !== serviceId);
      act('open', { serviceIds: c.serviceIds.filter((id) => next.includes(id)) });
    }}
  />`;
}

function loadsTable(served: ReadonlySet<string>): TemplateResult {
  return html`<table class="loads">
    <thead>
      <tr>
        <th scope="col">${t('counter.servingNow')}</th>
        <th scope="col">${t('counter.queue')}</th>
        <th scope="col" class="num">${t('counter.waiting')}</th>
        <th scope="col" class="num">${t('counter.longestWait')}</th>
      </tr>
    </thead>
    <tbody>
      ${state.services.map((s) => {
        const l = state.loads.get(s.id) ?? { waiting: 0, oldestArrivedAt: null };
        return html`<tr class=${served.has(s.id) ? 'mine' : ''}>
          <td>${servingToggle(s.id)}</td>
          <th scope="row">${s.prefix} · ${s.name}${s.isOpen ? nothing : html`<small> — ${t('display.closedToday')}</small>`}</th>
          <td class="num">${l.waiting}</td>
          <td class="num">${l.oldestArrivedAt === null ? t('ui.none') : t('ui.minutes', { count: minutesSince(l.oldestArrivedAt) })}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function waitingList(served: ReadonlySet<string>): TemplateResult {
  const waiting = state.waiting.filter((w) => served.has(w.serviceId)).sort((a, b) => a.arrivedAt - b.arrivedAt || (a.id < b.id ? -1 : 1));
  return html`<section class="waiting" data-testid="waiting-list">
    <h2>${t('counter.waitingList')}</h2>
    ${waiting.length === 0
      ? html`<p class="muted">${t('counter.nobodyWaiting')}</p>`
      : html`<ol>
          ${waiting.slice(0, WAITING_SHOWN).map(
            (w) =>
              html`<li data-ticket=${w.number}><span class="no">${w.number}</span>${kindTag(w)}<span class="muted">${t('counter.waited', { count: minutesSince(w.arrivedAt) })}</span></li>`,
          )}
        </ol>`}
    ${waiting.length > WAITING_SHOWN ? html`<p class="muted">${t('counter.moreWaiting', { count: waiting.length - WAITING_SHOWN })}</p>` : nothing}
  </section>`;
}

function parkedList(): TemplateResult {
  return html`<section class="parked">
    <h2>${t('counter.parkedTickets')}</h2>
    ${state.parked.length === 0 ? html`<p class="muted">${t('counter.noParked')}</p>` : nothing}
    ${state.parked.map(
      (p) => html`<button type="button" ?disabled=${running.isBusy('counter')} @click=${() => resume(p.id)}>${p.number} · ${serviceName(p.serviceId)} — ${t('counter.resume')}</button>`,
    )}
  </section>`;
}

export function queueView(): TemplateResult {
  const c = mine()?.counter;
  const served = new Set(c === undefined ? [] : (c.sessionServiceIds ?? c.serviceIds));
  return html`<aside class="side card">${loadsTable(served)} ${waitingList(served)} ${parkedList()}</aside>`;
}
