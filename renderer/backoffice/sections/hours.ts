import { html, nothing, type TemplateResult } from 'lit-html';
import { WEEKDAY_KEYS, type CalendarT, type DayHoursT, type WeekHoursT, type WeekdayKey } from '../../../contracts/office-config.ts';
import { t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { loadConfig, previewThenWrite } from '../config-write.ts';
import { checkboxField, FormErrors, onSubmit, required } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * Opening hours and calendar: the hours of each weekday (open, close, breaks; a weekday closed),
 * closed days (holidays) and changed days (other hours that day). Every save is previewed first:
 * bookings the change would leave outside the hours are shown in the confirm dialog. Supervisors
 * edit the calendar; the weekly hours are the admin's.
 */

interface DayDraft {
  isOpen: boolean;
  open: string;
  close: string;
  breaks: { from: string; to: string }[];
}

const toDraft = (d: DayHoursT | null): DayDraft =>
  d === null ? { isOpen: false, open: '08:00', close: '16:00', breaks: [] } : { isOpen: true, open: d.open, close: d.close, breaks: d.breaks.map((b) => ({ ...b })) };

const fromDraft = (d: DayDraft): DayHoursT | null => (d.isOpen ? { open: d.open.trim(), close: d.close.trim(), breaks: d.breaks.map((b) => ({ from: b.from.trim(), to: b.to.trim() })) } : null);

function create(ctx: Ctx) {
  let week: Record<WeekdayKey, DayDraft> | null = null;
  let calendar: CalendarT = { closedDays: [], changedDays: [] };
  const isAdmin = ctx.me.role === 'admin';
  const hoursErrors = new FormErrors('hours-mon-open');
  const closedErrors = new FormErrors('closed-date');
  const changedErrors = new FormErrors('changed-date');
  const closedDraft = { date: '', note: '' };
  const changedDraft = { date: '', open: '08:00', close: '12:00' };

  const reload = async (): Promise<void> => {
    const c = await loadConfig(ctx);
    week = Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, toDraft(c.hours[k])])) as Record<WeekdayKey, DayDraft>;
    calendar = c.calendar;
    ctx.update();
  };

  /** The host's field paths (`mon.breaks.0.from`) → the inputs. */
  const hoursFields: Record<string, string> = {};
  for (const k of WEEKDAY_KEYS) {
    hoursFields[k] = `hours-${k}-open`;
    hoursFields[`${k}.open`] = `hours-${k}-open`;
    hoursFields[`${k}.close`] = `hours-${k}-close`;
    for (const i of [0, 1, 2, 3]) {
      hoursFields[`${k}.breaks.${i}.from`] = `hours-${k}-break${i}-from`;
      hoursFields[`${k}.breaks.${i}.to`] = `hours-${k}-break${i}-to`;
    }
  }

  const saveHours = (): void => {
    const w = week;
    if (w === null) return;
    const body = Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, fromDraft(w[k])])) as WeekHoursT;
    previewThenWrite(ctx, {
      name: 'hours:save',
      method: 'PUT',
      path: '/hours',
      body,
      onDone: async () => {
        hoursErrors.clear();
        ctx.notice(t('backoffice.saved'));
        await reload();
      },
      onError: (e) => {
        hoursErrors.fromFailure(e, hoursFields);
        ctx.update();
      },
    });
  };

  const saveCalendar = (next: CalendarT, errors: FormErrors, fields: Record<string, string>, after: () => void): void =>
    previewThenWrite(ctx, {
      name: 'calendar:save',
      method: 'PUT',
      path: '/calendar',
      body: next,
      onDone: async () => {
        errors.clear();
        after();
        ctx.notice(t('backoffice.saved'));
        await reload();
      },
      onError: (e) => {
        errors.fromFailure(e, fields);
        ctx.update();
      },
    });

  const addClosed = (): void => {
    if (!closedErrors.check([required('closed-date', closedDraft.date, t('backoffice.hours.date'))])) return ctx.update();
    const note = closedDraft.note.trim();
    const day = { date: closedDraft.date.trim(), ...(note === '' ? {} : { note: { [ctx.languages()[0] ?? 'cs']: note } }) };
    saveCalendar({ ...calendar, closedDays: [...calendar.closedDays, day] }, closedErrors, { closedDays: 'closed-date' }, () => Object.assign(closedDraft, { date: '', note: '' }));
  };

  const addChanged = (): void => {
    if (!changedErrors.check([required('changed-date', changedDraft.date, t('backoffice.hours.date'))])) return ctx.update();
    const day = { date: changedDraft.date.trim(), hours: { open: changedDraft.open.trim(), close: changedDraft.close.trim(), breaks: [] } };
    saveCalendar({ ...calendar, changedDays: [...calendar.changedDays, day] }, changedErrors, { changedDays: 'changed-date', 'changedDays.hours.open': 'changed-open' }, () =>
      Object.assign(changedDraft, { date: '' }),
    );
  };

  const removeDay = (date: string): void =>
    saveCalendar(
      { closedDays: calendar.closedDays.filter((d) => d.date !== date), changedDays: calendar.changedDays.filter((d) => d.date !== date) },
      closedErrors,
      {},
      () => undefined,
    );

  const dayRow = (k: WeekdayKey, d: DayDraft): TemplateResult => html`<fieldset class="weekday" data-day=${k}>
    <legend>${t(`backoffice.hours.days.${k}`)}</legend>
    ${checkboxField({ id: `hours-${k}-isopen`, label: t('backoffice.hours.isOpen'), checked: d.isOpen, onChange: (v) => ((d.isOpen = v), ctx.update()) })}
    ${d.isOpen
      ? html`<div class="cols">
            ${field({ id: `hours-${k}-open`, maxlength: 5, label: t('backoffice.hours.open'), value: d.open, error: hoursErrors.of(`hours-${k}-open`), onInput: (v) => (d.open = v) })}
            ${field({ id: `hours-${k}-close`, maxlength: 5, label: t('backoffice.hours.close'), value: d.close, error: hoursErrors.of(`hours-${k}-close`), onInput: (v) => (d.close = v) })}
          </div>
          ${d.breaks.map(
            (b, i) => html`<div class="cols break">
              ${field({ id: `hours-${k}-break${i}-from`, maxlength: 5, label: t('backoffice.hours.breakFrom'), value: b.from, error: hoursErrors.of(`hours-${k}-break${i}-from`), onInput: (v) => (b.from = v) })}
              ${field({ id: `hours-${k}-break${i}-to`, maxlength: 5, label: t('backoffice.hours.breakTo'), value: b.to, error: hoursErrors.of(`hours-${k}-break${i}-to`), onInput: (v) => (b.to = v) })}
              ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.hours.removeBreak', { day: t(`backoffice.hours.days.${k}`) }), onClick: () => (d.breaks.splice(i, 1), ctx.update()) })}
            </div>`,
          )}
          ${d.breaks.length < 4
            ? button({ label: t('backoffice.hours.addBreak'), ariaLabel: t('backoffice.hours.addBreakTo', { day: t(`backoffice.hours.days.${k}`) }), onClick: () => (d.breaks.push({ from: '12:00', to: '12:30' }), ctx.update()) })
            : nothing}`
      : html`<p class="hint">${t('backoffice.hours.closed')}</p>`}
  </fieldset>`;

  const calendarRows = (): TemplateResult => {
    const rows = [
      ...calendar.closedDays.map((d) => ({ date: d.date, what: t('backoffice.hours.closedDay') })),
      ...calendar.changedDays.map((d) => ({ date: d.date, what: `${d.hours.open}–${d.hours.close}` })),
    ].sort((a, b) => a.date.localeCompare(b.date));
    return rows.length === 0
      ? html`<p>${t('backoffice.hours.noDays')}</p>`
      : html`<table class="grid" data-testid="calendar">
          <thead>
            <tr>
              <th scope="col">${t('backoffice.hours.date')}</th>
              <th scope="col">${t('backoffice.hours.what')}</th>
              <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) => html`<tr data-date=${r.date}>
                <th scope="row">${r.date}</th>
                <td>${r.what}</td>
                <td class="act">${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.hours.removeDay', { date: r.date }), isBusy: ctx.actions.isBusy('calendar:save'), onClick: () => removeDay(r.date) })}</td>
              </tr>`,
            )}
          </tbody>
        </table>`;
  };

  const hoursForm = (): TemplateResult | typeof nothing => {
    const w = week;
    if (w === null) return nothing;
    if (!isAdmin)
      return html`<section class="card" aria-labelledby="hours-title">
        <h2 id="hours-title">${t('backoffice.hours.weekly')}</h2>
        <ul>
          ${WEEKDAY_KEYS.map((k) => html`<li>${t(`backoffice.hours.days.${k}`)}: ${w[k].isOpen ? `${w[k].open}–${w[k].close}` : t('backoffice.hours.closed')}</li>`)}
        </ul>
      </section>`;
    return html`<form class="card" @submit=${onSubmit(saveHours)} novalidate aria-labelledby="hours-title">
      <h2 id="hours-title">${t('backoffice.hours.weekly')}</h2>
      <p class="hint">${t('backoffice.hours.timeHint')}</p>
      ${hoursErrors.summary()} ${WEEKDAY_KEYS.map((k) => dayRow(k, w[k]))}
      ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('hours:save'), onClick: () => undefined })}
    </form>`;
  };

  return {
    load: reload,
    view: () => html`${hoursForm()}
      <section class="card" aria-labelledby="calendar-title">
        <h2 id="calendar-title">${t('backoffice.hours.calendar')}</h2>
        ${calendarRows()}
      </section>
      <form class="card" @submit=${onSubmit(addClosed)} novalidate aria-labelledby="closed-title">
        <h2 id="closed-title">${t('backoffice.hours.addClosed')}</h2>
        ${closedErrors.summary()}
        <div class="cols">
          ${field({ id: 'closed-date', type: 'date', label: t('backoffice.hours.date'), value: closedDraft.date, error: closedErrors.of('closed-date'), onInput: (v) => (closedDraft.date = v) })}
          ${field({ id: 'closed-note', label: t('backoffice.hours.note'), hint: t('backoffice.hours.noteHint'), value: closedDraft.note, maxlength: 200, onInput: (v) => (closedDraft.note = v) })}
        </div>
        ${button({ label: t('backoffice.hours.addClosedButton'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('calendar:save'), onClick: () => undefined })}
      </form>
      <form class="card" @submit=${onSubmit(addChanged)} novalidate aria-labelledby="changed-title">
        <h2 id="changed-title">${t('backoffice.hours.addChanged')}</h2>
        ${changedErrors.summary()}
        <div class="cols">
          ${field({ id: 'changed-date', type: 'date', label: t('backoffice.hours.date'), value: changedDraft.date, error: changedErrors.of('changed-date'), onInput: (v) => (changedDraft.date = v) })}
          ${field({ id: 'changed-open', maxlength: 5, label: t('backoffice.hours.open'), value: changedDraft.open, error: changedErrors.of('changed-open'), onInput: (v) => (changedDraft.open = v) })}
          ${field({ id: 'changed-close', maxlength: 5, label: t('backoffice.hours.close'), value: changedDraft.close, onInput: (v) => (changedDraft.close = v) })}
        </div>
        ${button({ label: t('backoffice.hours.addChangedButton'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('calendar:save'), onClick: () => undefined })}
      </form>`,
  };
}

export const hoursSection: Section = { id: 'hours', titleKey: 'backoffice.hours.title', role: 'supervisor', create };
