import { html, nothing, type TemplateResult } from 'lit-html';
import { classMap } from 'lit-html/directives/class-map.js';
import { currentLang, languagePicker, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { act, canRun, counterActions, leaveCounter, openCounter, signOut } from '../actions.ts';
import { loadOffice } from '../sync.ts';
import { mine, minutesSince, page, running, serviceName, showError, state, type Ticket } from '../state.ts';

/** The header, the counter picker, and the current client with the counter's actions. */

export function header(): TemplateResult {
  const c = mine()?.counter;
  return html`<header class="top">
    <h1>${c === undefined ? t('counter.title') : t('counter.counterN', { number: c.number })}</h1>
    <div class="who">
      <span>${state.me?.displayName ?? ''}</span>
      ${languagePicker(() => void loadOffice().catch(showError))}
      ${c !== undefined && state.ticket === null ? button({ label: t('counter.switchCounter'), onClick: leaveCounter, isBusy: running.isBusy('counter') }) : nothing}
      ${button({ label: t('ui.signOut'), onClick: signOut })}
    </div>
  </header>`;
}

export function message(): TemplateResult {
  return html`<p role="status" class=${classMap({ msg: true, error: state.messageKind === 'error' })} id="message">${state.message}</p>`;
}

export function pickerView(): TemplateResult {
  const me = state.me?.id;
  return html`<main class="choose">
    <h2>${t('counter.chooseCounter')}</h2>
    <div class="picker">
      ${state.counters.map((entry, i) => {
        const c = entry.counter;
        const whose = c.userId === null ? t('counter.free') : c.userId === me ? t('counter.yours') : t('counter.inUse');
        return button({
          label: `${t('counter.counterN', { number: c.number })} — ${c.serviceIds.map(serviceName).join(', ')} (${whose})`,
          key: String(i + 1),
          onClick: () => openCounter(c.id),
          isDisabled: !(c.userId === null || c.userId === me),
          isBusy: running.isBusy('counter'),
        });
      })}
    </div>
    ${message()}
  </main>`;
}

/** Office-local HH:MM of an instant (the counter PC may sit in another zone than the office). */
function officeHhMm(at: number): string {
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (state.timeZone !== null) opts.timeZone = state.timeZone;
  return new Intl.DateTimeFormat(currentLang(), opts).format(at);
}

/** "booked 10:00" or "walk-in": a booked arrival is called at its time ahead of walk-ins. */
export function kindTag(tk: Ticket, testId?: string): TemplateResult {
  const isBooked = tk.bookedAt !== null;
  return html`<span class=${isBooked ? 'kind booked' : 'kind walk-in'} data-testid=${testId ?? nothing}
    >${isBooked ? t('counter.booked', { time: officeHhMm(tk.bookedAt!) }) : t('counter.walkIn')}</span
  >`;
}

export function currentView(): TemplateResult {
  const tk = state.ticket;
  const c = mine()?.counter;
  return html`<section class="current card" aria-label=${t('counter.current')}>
    <h2>${t('counter.current')}</h2>
    ${c?.status === 'paused' ? html`<p class="paused">${t('counter.paused')}</p>` : nothing}
    ${tk === null
      ? html`<p class="none">${t('counter.noClient')}</p>`
      : html`<div class="number" id="current-number">${tk.number}</div>
          <div class="service">${serviceName(tk.serviceId)}</div>
          <div class="facts">
            <span class=${`state ${tk.state}`}>${t(`counter.state.${tk.state}`)}</span>
            ${kindTag(tk, 'current-kind')}
            <span>${t('counter.waited', { count: minutesSince(tk.arrivedAt) })}</span>
            ${tk.recallCount > 0 ? html`<span>${t('counter.recalls', { count: tk.recallCount })}</span>` : nothing}
          </div>`}
    <div class="actions">
      ${counterActions().map((a) =>
        button({ label: a.label, key: a.key, onClick: a.run, isDisabled: !a.isEnabled, isBusy: !canRun(a) && a.isEnabled, isPrimary: a.isPrimary === true, id: `act-${a.key}` }),
      )}
    </div>
    ${outcomeButtons(tk)} ${message()} ${shortcutHelp()}
  </section>`;
}

/** "Done" with the result, for a service that defines outcomes (passed, failed): one button each. */
function outcomeButtons(tk: Ticket | null): TemplateResult | typeof nothing {
  const results = tk === null ? [] : (state.outcomes.get(tk.serviceId) ?? []);
  if (results.length === 0) return nothing;
  return html`<div class="outcomes" role="group" aria-label=${t('counter.outcomes')}>
    <span>${t('counter.outcomes')}</span>
    ${results.map(
      (o) =>
        html`<button type="button" data-outcome=${o.id} ?disabled=${running.isBusy('counter')} @click=${() => act('finish', { outcome: o.id })}>
          ${t('counter.doneWith', { outcome: o.name })}
        </button>`,
    )}
  </div>`;
}

/** Every key of the page in one list (also on each button); ? opens and closes it. */
function shortcutHelp(): TemplateResult {
  const row = (key: string, label: string): TemplateResult => html`<dt><kbd>${key}</kbd></dt><dd>${label}</dd>`;
  return html`<details
    class="shortcuts"
    data-testid="shortcut-help"
    ?open=${state.isHelpOpen}
    @toggle=${(e: Event) => {
      state.isHelpOpen = (e.target as HTMLDetailsElement).open;
      page.update();
    }}
  >
    <summary aria-keyshortcuts="?">${t('counter.shortcuts')} <kbd>?</kbd></summary>
    <dl>
      ${counterActions().map((a) => row(a.key.toUpperCase(), a.label))}${row('1–9', t('counter.keyChoice'))}${row('Esc', t('ui.cancel'))}${row('?', t('counter.keyHelp'))}
    </dl>
  </details>`;
}
