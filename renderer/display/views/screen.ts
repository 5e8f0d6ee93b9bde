import { html, nothing, type TemplateResult } from 'lit-html';
import { classMap } from 'lit-html/directives/class-map.js';
import { currentLang, t } from '../../shared/i18n.ts';
import { HISTORY, type Call, type DisplayState } from '../state.ts';

/**
 * The hall screen: the newest call large, the eight before it below, the waiting counts, the
 * clock. Read from across a hall: every size follows the viewport (display.css).
 */

const arrow = html`<span class="arrow" aria-hidden="true">→</span>`;

function recallMark(c: Call): TemplateResult | typeof nothing {
  if (c.recalls === 0) return nothing;
  return html`<span class="tag" title=${t('display.recall')}
    ><span aria-hidden="true">↻${c.recalls > 1 ? c.recalls : ''}</span><span class="sr-only">${t('display.recall')}</span></span
  >`;
}

function newest(s: DisplayState, now: Call | undefined): TemplateResult {
  if (now === undefined) return html`<section class="now"><p class="empty">${t('display.noCalls')}</p></section>`;
  return html`<section class=${classMap({ now: true, flash: s.announcing === now.eventId, recalled: now.recalls > 0 })}>
    <div class="labels"><span>${t('display.ticket')}</span><span>${t('display.counter')}</span></div>
    <div id="now-call" class=${classMap({ call: true, long: now.number.length + now.counter.length > 6 })}>
      <span class="number">${now.number}</span>${arrow}<span class="counter">${now.counter}</span>
    </div>
    ${now.recalls > 0 ? html`<div class="recall">↻ ${t('display.recall')}</div>` : nothing}
  </section>`;
}

function history(s: DisplayState, rest: readonly Call[]): TemplateResult {
  return html`<section class="history">
    <h2>${t('display.lastCalls')}</h2>
    <ol id="last-calls">
      ${rest.slice(0, HISTORY - 1).map(
        (c) => html`<li class=${classMap({ recall: c.recalls > 0, flash: s.announcing === c.eventId })} data-ticket=${c.number}>
          <span class="number">${c.number}</span>${arrow}<span class="counter">${c.counter}</span>${recallMark(c)}
        </li>`,
      )}
    </ol>
  </section>`;
}

function waiting(s: DisplayState): TemplateResult {
  return html`<section class="waiting">
    <h2>${t('display.waiting')}</h2>
    <ul>
      ${s.services.map((svc) => {
        const isClosed = s.closed.has(svc.id);
        return html`<li class=${classMap({ closed: isClosed })}>
          <span class="prefix">${svc.prefix}</span><span class="name">${svc.name}</span
          ><span class="count">${isClosed ? t('display.closedToday') : String(svc.waiting)}</span>
        </li>`;
      })}
    </ul>
  </section>`;
}

/** What the voice did, for screen readers and tests (sr-only). */
function announcedLog(s: DisplayState): TemplateResult {
  return html`<ol id="announced" class="sr-only" aria-live="polite">
    ${s.log.map((a) => html`<li data-event-id=${a.eventId} data-how=${a.how} data-behind=${a.behind}>${a.text}</li>`)}
  </ol>`;
}

export function screen(s: DisplayState): TemplateResult {
  const [now, ...rest] = s.calls;
  const time = new Date(s.now + s.skewMs).toLocaleTimeString(currentLang(), { hour: '2-digit', minute: '2-digit' });
  return html`<main class="screen">
      <header class="head">
        ${s.logo === null ? nothing : html`<img class="logo" src=${s.logo} alt="" />`}
        <h1 class="office">${s.officeName}</h1>
        ${s.canPlay ? nothing : html`<p id="sound" class="sound-off" role="status">${t('display.soundOff')}</p>`}
        <time class="clock">${time}</time>
      </header>
      ${newest(s, now)} ${history(s, rest)} ${waiting(s)}
    </main>
    ${announcedLog(s)}`;
}
