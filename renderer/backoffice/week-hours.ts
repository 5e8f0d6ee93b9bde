import { html, nothing, type TemplateResult } from 'lit-html';
import { WEEKDAY_KEYS, type DayHoursT, type WeekHoursT, type WeekdayKey } from '../../contracts/office-config.ts';
import { t } from '../shared/i18n.ts';
import { button, field } from '../shared/ui.ts';
import { checkboxField, type FormErrors } from './form.ts';

/**
 * A week of opening hours as a form edits it (open, close, breaks; a weekday closed): the office's
 * on the hours page, a service's own on the service settings page. `prefix` names the inputs
 * (`<prefix>-mon-open`), so that two editors never share an id.
 */

export interface DayDraft {
  isOpen: boolean;
  open: string;
  close: string;
  breaks: { from: string; to: string }[];
}
export type WeekDraft = Record<WeekdayKey, DayDraft>;

const MAX_BREAKS_SHOWN = 4;

const dayDraft = (d: DayHoursT | null): DayDraft =>
  d === null ? { isOpen: false, open: '08:00', close: '16:00', breaks: [] } : { isOpen: true, open: d.open, close: d.close, breaks: d.breaks.map((b) => ({ ...b })) };

const dayBody = (d: DayDraft): DayHoursT | null => (d.isOpen ? { open: d.open.trim(), close: d.close.trim(), breaks: d.breaks.map((b) => ({ from: b.from.trim(), to: b.to.trim() })) } : null);

export const weekDraft = (w: WeekHoursT): WeekDraft => Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, dayDraft(w[k])])) as WeekDraft;
export const weekBody = (w: WeekDraft): WeekHoursT => Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, dayBody(w[k])])) as WeekHoursT;

/** The host's field paths (`mon.breaks.0.from`, under `apiPrefix` when given) → the inputs. */
export function weekFieldIds(prefix: string, apiPrefix = ''): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const k of WEEKDAY_KEYS) {
    ids[`${apiPrefix}${k}`] = `${prefix}-${k}-open`;
    ids[`${apiPrefix}${k}.open`] = `${prefix}-${k}-open`;
    ids[`${apiPrefix}${k}.close`] = `${prefix}-${k}-close`;
    for (let i = 0; i < MAX_BREAKS_SHOWN; i++) {
      ids[`${apiPrefix}${k}.breaks.${i}.from`] = `${prefix}-${k}-break${i}-from`;
      ids[`${apiPrefix}${k}.breaks.${i}.to`] = `${prefix}-${k}-break${i}-to`;
    }
  }
  return ids;
}

function dayRow(prefix: string, k: WeekdayKey, d: DayDraft, errors: FormErrors, update: () => void): TemplateResult {
  const id = (s: string): string => `${prefix}-${k}-${s}`;
  const day = t(`backoffice.hours.days.${k}`);
  return html`<fieldset class="weekday" data-day=${k}>
    <legend>${day}</legend>
    ${checkboxField({ id: id('isopen'), label: t('backoffice.hours.isOpen'), checked: d.isOpen, onChange: (v) => ((d.isOpen = v), update()) })}
    ${d.isOpen
      ? html`<div class="cols">
            ${field({ id: id('open'), maxlength: 5, label: t('backoffice.hours.open'), value: d.open, error: errors.of(id('open')), onInput: (v) => (d.open = v) })}
            ${field({ id: id('close'), maxlength: 5, label: t('backoffice.hours.close'), value: d.close, error: errors.of(id('close')), onInput: (v) => (d.close = v) })}
          </div>
          ${d.breaks.map(
            (b, i) => html`<div class="cols break">
              ${field({ id: id(`break${i}-from`), maxlength: 5, label: t('backoffice.hours.breakFrom'), value: b.from, error: errors.of(id(`break${i}-from`)), onInput: (v) => (b.from = v) })}
              ${field({ id: id(`break${i}-to`), maxlength: 5, label: t('backoffice.hours.breakTo'), value: b.to, error: errors.of(id(`break${i}-to`)), onInput: (v) => (b.to = v) })}
              ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.hours.removeBreak', { day }), onClick: () => (d.breaks.splice(i, 1), update()) })}
            </div>`,
          )}
          ${d.breaks.length < MAX_BREAKS_SHOWN
            ? button({ label: t('backoffice.hours.addBreak'), ariaLabel: t('backoffice.hours.addBreakTo', { day }), onClick: () => (d.breaks.push({ from: '12:00', to: '12:30' }), update()) })
            : nothing}`
      : html`<p class="hint">${t('backoffice.hours.closed')}</p>`}
  </fieldset>`;
}

/** The seven weekdays' editors. */
export const weekFields = (prefix: string, w: WeekDraft, errors: FormErrors, update: () => void): TemplateResult =>
  html`${WEEKDAY_KEYS.map((k) => dayRow(prefix, k, w[k], errors, update))}`;

/** A week read out (a supervisor's view, a service that keeps the office's hours). */
export const weekSummary = (w: WeekDraft): TemplateResult =>
  html`<ul>
    ${WEEKDAY_KEYS.map((k) => html`<li>${t(`backoffice.hours.days.${k}`)}: ${w[k].isOpen ? `${w[k].open}–${w[k].close}` : t('backoffice.hours.closed')}</li>`)}
  </ul>`;
