import { html, nothing, type TemplateResult } from 'lit-html';
import { BookingSettingsResponse, type BookingSettingsResponseT } from '../../../contracts/booking-settings.ts';
import { api } from '../../shared/api.ts';
import { formatDateTime, isLang, LANG_NAMES, t } from '../../shared/i18n.ts';
import { button, field, type FieldError } from '../../shared/ui.ts';
import { checkboxField, FormErrors, onSubmit, required, selectField, wholeNumber } from '../form.ts';
import { rankOf, type Ctx, type Section } from '../section.ts';

/**
 * The office's online-booking settings: the crisis switch with its message to the public in each
 * office language (supervisors and admins), check-in, the rules about people and the retention
 * period (admins); the latest changes and who made them. Each change is shown field by field
 * and confirmed before it is sent: every one of them changes what happens to bookings.
 */

const NUMBERS = ['earlyMin', 'lateMin', 'noShowBanDays', 'fictitiousBanDays', 'retentionDays'] as const;
type NumberKey = (typeof NUMBERS)[number];

interface Draft {
  earlyMin: string;
  lateMin: string;
  late: 'refuse' | 'walk-in';
  prefix: string;
  identityDuplicates: 'refuse' | 'cancelAll';
  noShowBanDays: string;
  fictitiousBanDays: string;
  forbidNationalIds: boolean;
  retentionDays: string;
}

const draftOf = (s: BookingSettingsResponseT): Draft => ({
  earlyMin: String(s.checkIn.earlyMin),
  lateMin: String(s.checkIn.lateMin),
  late: s.checkIn.late,
  prefix: s.checkIn.prefix ?? '',
  identityDuplicates: s.rules.identityDuplicates,
  noShowBanDays: String(s.rules.noShowBanDays),
  fictitiousBanDays: String(s.rules.fictitiousBanDays),
  forbidNationalIds: s.rules.forbidNationalIds,
  retentionDays: String(s.retentionDays),
});

/** The API's name of each input, for the answer's `field`. */
const API_FIELDS: Record<string, string> = {
  'checkIn.earlyMin': 'bs-earlyMin',
  'checkIn.lateMin': 'bs-lateMin',
  'checkIn.late': 'bs-late',
  'checkIn.prefix': 'bs-prefix',
  'rules.identityDuplicates': 'bs-identityDuplicates',
  'rules.noShowBanDays': 'bs-noShowBanDays',
  'rules.fictitiousBanDays': 'bs-fictitiousBanDays',
  'rules.forbidNationalIds': 'bs-forbidNationalIds',
  retentionDays: 'bs-retentionDays',
};

const langName = (l: string): string => (isLang(l) ? LANG_NAMES[l] : l);
/** A setting's value as a reader reads it (a message per language: its texts). */
function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return t('ui.none');
  if (typeof v === 'boolean') return t(v ? 'backoffice.yes' : 'backoffice.no');
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return Object.values(v).map(String).join(' / ');
}

function create(ctx: Ctx) {
  let settings: BookingSettingsResponseT | null = null;
  let draft: Draft | null = null;
  let messages: Record<string, string> = {};
  const errors = new FormErrors('bs-earlyMin');
  const crisisErrors = new FormErrors('crisis-0');
  const isAdmin = rankOf(ctx.me.role) >= rankOf('admin');
  const path = (): string => `/booking/offices/${ctx.officeId()}`;

  const take = (s: BookingSettingsResponseT): void => {
    settings = s;
    draft = draftOf(s);
    messages = Object.fromEntries(s.languages.map((l) => [l, s.suspendedMessage[l] ?? '']));
    ctx.update();
  };

  /** The fields changed, as the API takes them, and the lines the confirm dialog shows. */
  const patchOf = (s: BookingSettingsResponseT, d: Draft) => {
    const nums = Object.fromEntries(NUMBERS.map((k) => [k, wholeNumber(d[k])])) as Record<NumberKey, number | null>;
    const prefix = d.prefix.trim() === '' ? null : d.prefix.trim();
    const lines: { label: string; from: unknown; to: unknown }[] = [];
    const checkIn: Record<string, unknown> = {};
    const rules: Record<string, unknown> = {};
    const diff = (into: Record<string, unknown>, key: string, from: unknown, to: unknown): void => {
      if (from === to) return;
      into[key] = to;
      lines.push({ label: t(`backoffice.bookingSettings.fields.${key}`), from, to });
    };
    diff(checkIn, 'earlyMin', s.checkIn.earlyMin, nums.earlyMin);
    diff(checkIn, 'lateMin', s.checkIn.lateMin, nums.lateMin);
    diff(checkIn, 'late', s.checkIn.late, d.late);
    diff(checkIn, 'prefix', s.checkIn.prefix, prefix);
    diff(rules, 'identityDuplicates', s.rules.identityDuplicates, d.identityDuplicates);
    diff(rules, 'noShowBanDays', s.rules.noShowBanDays, nums.noShowBanDays);
    diff(rules, 'fictitiousBanDays', s.rules.fictitiousBanDays, nums.fictitiousBanDays);
    diff(rules, 'forbidNationalIds', s.rules.forbidNationalIds, d.forbidNationalIds);
    const top: Record<string, unknown> = {};
    diff(top, 'retentionDays', s.retentionDays, nums.retentionDays);
    const body = { ...top, ...(Object.keys(checkIn).length === 0 ? {} : { checkIn }), ...(Object.keys(rules).length === 0 ? {} : { rules }) };
    return { body, lines, nums };
  };

  const save = (): void => {
    const s = settings;
    const d = draft;
    if (s === null || d === null) return;
    const { body, lines, nums } = patchOf(s, d);
    const notWhole = NUMBERS.filter((k) => nums[k] === null).map((k): FieldError => ({ fieldId: `bs-${k}`, message: t('backoffice.form.wholeNumber', { field: t(`backoffice.bookingSettings.fields.${k}`) }) }));
    if (!errors.check(notWhole)) return ctx.update();
    if (lines.length === 0) return ctx.notice(t('backoffice.nothingChanged'));
    ctx.confirm({
      title: t('backoffice.bookingSettings.confirmTitle'),
      body: html`<p>${t('backoffice.bookingSettings.confirmBody')}</p>
        <ul class="changes">
          ${lines.map((l) => html`<li>${l.label}: ${shown(l.from)} → <strong>${shown(l.to)}</strong></li>`)}
        </ul>`,
      confirmLabel: t('backoffice.save'),
      onConfirm: () =>
        ctx.actions.run(
          'settings:save',
          async () => {
            take(await api('PUT', `${path()}/settings`, BookingSettingsResponse, body));
            errors.clear();
            ctx.notice(t('backoffice.saved'));
          },
          (e) => {
            errors.fromFailure(e, API_FIELDS);
            ctx.update();
          },
        ),
    });
  };

  const crisis = (on: boolean): void => {
    const s = settings;
    if (s === null) return;
    if (on && !crisisErrors.check(s.languages.map((l, i) => required(`crisis-${i}`, messages[l] ?? '', t('backoffice.bookingSettings.messageIn', { language: langName(l) }))))) return ctx.update();
    crisisErrors.clear();
    const message = Object.fromEntries(s.languages.map((l) => [l, (messages[l] ?? '').trim()]));
    ctx.confirm({
      title: t(on ? 'backoffice.bookingSettings.stopTitle' : 'backoffice.bookingSettings.resumeTitle'),
      body: t(on ? 'backoffice.bookingSettings.stopBody' : 'backoffice.bookingSettings.resumeBody'),
      confirmLabel: t(on ? 'backoffice.bookingSettings.stop' : 'backoffice.bookingSettings.resume'),
      onConfirm: () =>
        ctx.actions.run(
          'crisis',
          async () => {
            take(await api('POST', `${path()}/crisis`, BookingSettingsResponse, on ? { on, message } : { on }));
            ctx.notice(t(on ? 'backoffice.bookingSettings.stopped' : 'backoffice.bookingSettings.open'));
          },
          (e) => {
            crisisErrors.fromFailure(e, Object.fromEntries(s.languages.map((l, i) => [`message.${l}`, `crisis-${i}`])));
            ctx.update();
          },
        ),
    });
  };

  const crisisCard = (s: BookingSettingsResponseT): TemplateResult => html`<form class="card" @submit=${onSubmit(() => crisis(!s.suspended))} novalidate aria-labelledby="crisis-title">
    <h2 id="crisis-title">${t('backoffice.bookingSettings.crisis')}</h2>
    <p class=${s.suspended ? 'state-failed' : 'state-sent'} data-testid="booking-state">
      <strong>${t(s.suspended ? 'backoffice.bookingSettings.stopped' : 'backoffice.bookingSettings.open')}</strong>
    </p>
    ${crisisErrors.summary()}
    ${s.suspended
      ? nothing
      : html`<p class="hint">${t('backoffice.bookingSettings.messageHint')}</p>
          ${s.languages.map((l, i) =>
            field({
              id: `crisis-${i}`,
              label: t('backoffice.bookingSettings.messageIn', { language: langName(l) }),
              value: messages[l] ?? '',
              maxlength: 500,
              error: crisisErrors.of(`crisis-${i}`),
              onInput: (v) => (messages[l] = v),
            }),
          )}`}
    ${button({
      label: t(s.suspended ? 'backoffice.bookingSettings.resume' : 'backoffice.bookingSettings.stop'),
      type: 'submit',
      className: s.suspended ? 'primary' : 'danger',
      isBusy: ctx.actions.isBusy('crisis'),
      onClick: () => undefined,
    })}
  </form>`;

  const num = (d: Draft, k: NumberKey, hint?: string): TemplateResult =>
    field({
      id: `bs-${k}`,
      label: t(`backoffice.bookingSettings.fields.${k}`),
      ...(hint === undefined ? {} : { hint }),
      inputmode: 'numeric',
      value: d[k],
      error: errors.of(`bs-${k}`),
      onInput: (v) => (d[k] = v),
    });

  const settingsForm = (d: Draft): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="bs-title">
    <h2 id="bs-title">${t('backoffice.bookingSettings.settings')}</h2>
    ${errors.summary()}
    <fieldset>
      <legend>${t('backoffice.bookingSettings.checkIn')}</legend>
      <div class="cols">
        ${num(d, 'earlyMin')} ${num(d, 'lateMin')}
        ${selectField({
          id: 'bs-late',
          label: t('backoffice.bookingSettings.fields.late'),
          value: d.late,
          error: errors.of('bs-late'),
          options: (['refuse', 'walk-in'] as const).map((v) => ({ value: v, label: t(`backoffice.bookingSettings.lateOptions.${v}`) })),
          onChange: (v) => (d.late = v === 'walk-in' ? 'walk-in' : 'refuse'),
        })}
        ${field({ id: 'bs-prefix', label: t('backoffice.bookingSettings.fields.prefix'), hint: t('backoffice.bookingSettings.prefixHint'), value: d.prefix, maxlength: 3, error: errors.of('bs-prefix'), onInput: (v) => (d.prefix = v) })}
      </div>
    </fieldset>
    <fieldset>
      <legend>${t('backoffice.bookingSettings.rules')}</legend>
      <div class="cols">
        ${selectField({
          id: 'bs-identityDuplicates',
          label: t('backoffice.bookingSettings.fields.identityDuplicates'),
          value: d.identityDuplicates,
          error: errors.of('bs-identityDuplicates'),
          options: (['refuse', 'cancelAll'] as const).map((v) => ({ value: v, label: t(`backoffice.bookingSettings.duplicateOptions.${v}`) })),
          onChange: (v) => (d.identityDuplicates = v === 'cancelAll' ? 'cancelAll' : 'refuse'),
        })}
        ${num(d, 'noShowBanDays', t('backoffice.bookingSettings.zeroOff'))} ${num(d, 'fictitiousBanDays')}
      </div>
      ${checkboxField({ id: 'bs-forbidNationalIds', label: t('backoffice.bookingSettings.fields.forbidNationalIds'), checked: d.forbidNationalIds, onChange: (v) => (d.forbidNationalIds = v) })}
    </fieldset>
    ${num(d, 'retentionDays')}
    ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('settings:save'), onClick: () => undefined })}
  </form>`;

  const history = (s: BookingSettingsResponseT): TemplateResult => html`<section class="card" aria-labelledby="bs-history">
    <h2 id="bs-history">${t('backoffice.bookingSettings.history')}</h2>
    ${s.history.length === 0
      ? html`<p>${t('backoffice.bookingSettings.noHistory')}</p>`
      : html`<table class="grid">
          <thead>
            <tr>
              <th scope="col">${t('backoffice.decisions.at')}</th>
              <th scope="col">${t('backoffice.bookingSettings.who')}</th>
              <th scope="col">${t('backoffice.bookingSettings.changes')}</th>
            </tr>
          </thead>
          <tbody>
            ${s.history.map(
              (h) => html`<tr>
                <td>${formatDateTime(h.at, ctx.timeZone())}</td>
                <td>${h.username ?? t('ui.none')}</td>
                <td>${h.changes.map((c) => html`<div><code>${c.field}</code>: ${shown(c.from)} → ${shown(c.to)}</div>`)}</td>
              </tr>`,
            )}
          </tbody>
        </table>`}
  </section>`;

  return {
    async load() {
      take(await api('GET', `${path()}/settings`, BookingSettingsResponse));
    },
    view: () => {
      const s = settings;
      if (s === null || draft === null) return nothing;
      return html`${crisisCard(s)} ${isAdmin ? settingsForm(draft) : nothing} ${history(s)}`;
    },
  };
}

export const bookingSettingsSection: Section = { id: 'booking-settings', titleKey: 'backoffice.bookingSettings.title', role: 'supervisor', create };
