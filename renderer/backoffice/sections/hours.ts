import { html, nothing, type TemplateResult } from 'lit-html';
import type { CalendarT } from '../../../contracts/office-config.ts';
import { t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { loadConfig, previewThenWrite, saveForm } from '../config-write.ts';
import { FormErrors, onSubmit, required } from '../form.ts';
import { weekBody, weekDraft, weekFieldIds, weekFields, weekSummary, type WeekDraft } from '../week-hours.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * Opening hours and calendar: the hours of each weekday (open, close, breaks; a weekday closed),
 * closed days (holidays) and changed days (other hours that day). Every save is previewed first:
 * bookings the change would leave outside the hours are shown in the confirm dialog. Supervisors
 * edit the calendar; the weekly hours are the admin's.
 */

function create(ctx: Ctx) {
  let week: WeekDraft | null = null;
  let calendar: CalendarT = { closedDays: [], changedDays: [] };
  const isAdmin = ctx.me.role === 'admin';
  const hoursErrors = new FormErrors('hours-mon-open');
  const closedErrors = new FormErrors('closed-date');
  const changedErrors = new FormErrors('changed-date');
  const closedDraft = { date: '', note: '' };
  const changedDraft = { date: '', open: '08:00', close: '12:00' };

  const reload = async (): Promise<void> => {
    const c = await loadConfig(ctx);
    week = weekDraft(c.hours);
    calendar = c.calendar;
    ctx.update();
  };

  const hoursFields = weekFieldIds('hours');

  const saveHours = (): void => {
    const w = week;
    if (w === null) return;
    saveForm(ctx, { name: 'hours:save', method: 'PUT', path: '/hours', body: weekBody(w), errors: hoursErrors, reload, fields: hoursFields });
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
        ${weekSummary(w)}
      </section>`;
    return html`<form class="card" @submit=${onSubmit(saveHours)} novalidate aria-labelledby="hours-title">
      <h2 id="hours-title">${t('backoffice.hours.weekly')}</h2>
      <p class="hint">${t('backoffice.hours.timeHint')}</p>
      ${hoursErrors.summary()} ${weekFields('hours', w, hoursErrors, () => ctx.update())}
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
