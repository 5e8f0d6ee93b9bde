import { html, nothing, type TemplateResult } from 'lit-html';
import { unsafeHTML } from 'lit-html/directives/unsafe-html.js';
import { renderSVG } from 'uqr';
import { currentLang, formatDateTime, languagePicker, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { onLanguage } from '../actions.ts';
import { portalQuery, type Portal, type Status } from '../state.ts';

/** Parts several portal screens are made of. */

export const linkTo = (p: Portal, query: Record<string, string>): string => `?${portalQuery(p.state.officeId, query).toString()}`;

/** The screen's heading: the focus lands on it when the screen changes. */
export const heading = (text: string): TemplateResult => html`<h1 tabindex="-1" id="title">${text}</h1>`;

export const summary = (rows: readonly (readonly [string, string])[]): TemplateResult =>
  html`<dl class="summary">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;

/** A calendar day (YYYY-MM-DD) as the reader writes it: "čtvrtek 4. prosince", "12月4日星期四". */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(currentLang(), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** An appointment in office time, in the reader's format; `fallback` when the host sent no zone. */
export function whenText(startAt: number | null | undefined, timeZone: string | null | undefined, fallback: string): string {
  if (startAt == null || timeZone == null) return fallback;
  return formatDateTime(startAt, timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' });
}

export const timeText = (startAt: number, timeZone: string | undefined, fallback: string): string =>
  timeZone === undefined ? fallback : formatDateTime(startAt, timeZone, { hour: 'numeric', minute: '2-digit' });

/** The kiosk code as a QR code (drawn from digits only, so its SVG markup is safe to insert); role=img makes it one picture. */
export const qr = (text: string, label: string): TemplateResult => html`<div class="qr" role="img" aria-label=${label}>${unsafeHTML(renderSVG(text, { border: 2 }))}</div>`;

export const stateLabel = (state: string): string => t(`portal.state.${state}`);

export function statusCard(r: Status): TemplateResult {
  return html`<section class="card" aria-labelledby="status-title" data-testid="status">
    <h2 id="status-title">${t('portal.lookup.booking', { number: r.number })}</h2>
    <p><span class=${`state ${r.state}`} data-testid="state" data-state=${r.state}>${stateLabel(r.state)}</span></p>
    ${summary([
      [t('portal.service'), r.serviceName],
      [t('portal.office'), r.officeName],
      [t('portal.when'), whenText(r.startAt, r.timeZone, `${dayLabel(r.day)} ${r.time}`)],
    ])}
  </section>`;
}

export const backButton = (label: string, onClick: () => void, id?: string): TemplateResult =>
  html`<div class="actions">${button({ label, onClick, className: 'back', ...(id === undefined ? {} : { id }) })}</div>`;

/** One compact bar: office and language on the first line, the three places on the second. */
export function header(p: Portal): TemplateResult {
  const s = p.state.screen.kind;
  const here = s === 'lookup' ? 'lookup' : s === 'privacy' ? 'privacy' : 'book';
  const link = (key: string, query: Record<string, string>, me: string): TemplateResult =>
    html`<li><a href=${linkTo(p, query)} aria-current=${me === here ? 'page' : 'false'}>${t(key)}</a></li>`;
  return html`<header class="portal-head">
    <p class="brand">${p.state.logo === null ? nothing : html`<img class="logo" src=${p.state.logo} alt="" data-testid="office-logo" />`}<span class="office">${p.state.services?.officeName ?? 'Fronta'}</span> <span class="what">${t('portal.brand')}</span></p>
    ${languagePicker(() => void onLanguage(p))}
    <nav aria-label=${t('portal.nav')}>
      <ul>
        ${link('portal.navBook', {}, 'book')} ${link('portal.navLookup', { view: 'lookup' }, 'lookup')} ${link('portal.navPrivacy', { view: 'privacy' }, 'privacy')}
      </ul>
    </nav>
  </header>`;
}
