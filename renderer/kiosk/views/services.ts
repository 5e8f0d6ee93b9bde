import { html, nothing, type TemplateResult } from 'lit-html';
import { t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { go, issue, toggleAccessible } from '../actions.ts';
import type { Speech } from '../speech.ts';
import { categoryName, serviceName, type Kiosk, type Service } from '../state.ts';

/** The first screen (service tiles), the priority path and its services. */

function loadText(s: Service): string {
  const waiting = t('kiosk.waiting', { count: s.waiting });
  // No estimate (no counter open yet) is said by saying nothing about the wait.
  return s.estimatedWaitMin === null ? waiting : `${waiting} · ${t('kiosk.wait', { count: s.estimatedWaitMin })}`;
}

function tile(k: Kiosk, speech: Speech, s: Service, categoryId: string | null): TemplateResult {
  if (!s.isOpen || s.walkInRemaining <= 0) {
    // Not a button: nothing to press, and the reason in the client's language.
    return html`<div class="tile unavailable" data-service=${s.id} role="note">
      <span class="name">${serviceName(s)}</span>
      <span class="why">${!s.isOpen ? t('kiosk.closedToday') : t('kiosk.capacityReached')}</span>
    </div>`;
  }
  return html`<button type="button" class="tile" data-service=${s.id} ?disabled=${k.actions.isBusy('issue')} @click=${() => issue(k, speech, s.id, categoryId)}>
    <span class="prefix" aria-hidden="true">${s.prefix}</span>
    <span class="name">${serviceName(s)}</span>
    <span class="load">${loadText(s)}</span>
  </button>`;
}

function tiles(k: Kiosk, speech: Speech, categoryId: string | null): TemplateResult {
  const { services, departments } = k.state;
  if (services.length > 0 && services.every((s) => !s.isOpen)) return html`<p class="notice big" role="status">${t('kiosk.officeClosed')}</p>`;
  return html`<div class="departments">
    ${departments.map(
      (d) => html`<section class="department">
        <h2>${d.name}</h2>
        <div class="tiles">${services.filter((s) => s.departmentId === d.id).map((s) => tile(k, speech, s, categoryId))}</div>
      </section>`,
    )}
  </div>`;
}

export function homeScreen(k: Kiosk, speech: Speech): TemplateResult {
  const hasPriority = (k.state.info?.office.priorityCategories.length ?? 0) > 0;
  return html`<p class="prompt">${t('kiosk.chooseService')}</p>
    ${tiles(k, speech, null)}
    <div class="extras">
      <button type="button" class="secondary" data-action="booking" @click=${() => {
        go(k, { kind: 'booking', code: '', error: null, offerWalkIn: false });
        speech.say(k.state.isAccessible, 'booking');
      }}>${t('kiosk.haveBooking')}</button>
      ${hasPriority
        ? html`<button type="button" class="secondary" data-action="priority" @click=${() => {
            go(k, { kind: 'priority' });
            speech.say(k.state.isAccessible, 'priority');
          }}>${t('kiosk.priority')}</button>`
        : nothing}
      <button type="button" class="secondary accessibility" data-action="accessibility" aria-pressed=${k.state.isAccessible ? 'true' : 'false'} @click=${() => toggleAccessible(k, speech)}>
        <span class="icon" aria-hidden="true">Aa</span>${k.state.isAccessible ? t('kiosk.accessibilityOn') : t('kiosk.accessibility')}
      </button>
    </div>`;
}

export function priorityScreen(k: Kiosk): TemplateResult {
  const categories = k.state.info?.office.priorityCategories ?? [];
  return html`<p class="prompt">${t('kiosk.priorityTitle')}</p>
    <div class="tiles categories">
      ${categories.map(
        (c) => html`<button type="button" class="tile category" data-category=${c.id} @click=${() => go(k, { kind: 'services', categoryId: c.id })}>
          <span class="name">${categoryName(k.state, c.id)}</span>
        </button>`,
      )}
    </div>
    <p class="hint">${t('kiosk.priorityHint')}</p>
    <div class="extras">
      ${button({ label: t('kiosk.priorityNone'), className: 'secondary', onClick: () => go(k, { kind: 'home' }) })}
      ${button({ label: t('kiosk.back'), className: 'secondary', onClick: () => go(k, { kind: 'home' }) })}
    </div>`;
}

export function servicesScreen(k: Kiosk, speech: Speech, categoryId: string | null): TemplateResult {
  return html`<p class="prompt">
      <span class="priority-mark">${t('kiosk.priority')}: ${categoryName(k.state, categoryId)}</span>
      ${t('kiosk.chooseService')}
    </p>
    ${tiles(k, speech, categoryId)}
    <div class="extras">${button({ label: t('kiosk.back'), className: 'secondary', onClick: () => go(k, { kind: 'home' }) })}</div>`;
}
