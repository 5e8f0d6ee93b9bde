import { html, nothing, type TemplateResult } from 'lit-html';
import { WEEKDAY_KEYS, type OnlineBookingT } from '../../../contracts/office-config.ts';
import { t } from '../../shared/i18n.ts';
import { field, type FieldError } from '../../shared/ui.ts';
import { langName, namesBody, namesDraft } from '../config-write.ts';
import { checkboxField, numberIn, selectField, type FormErrors } from '../form.ts';
import type { Ctx } from '../section.ts';

/**
 * How a service booked online is booked, as the service settings page edits it: when a day opens
 * for booking (each day as it enters the horizon, or on set weekdays for a day so many days
 * ahead), how long a slot is held while the client confirms, how long a draw takes applications,
 * the nearest bookable day, the channels that confirm, and the identity key the form asks for.
 * The rest of the policy (slots, capacity, share, fee) stays as the services page set it.
 */

export interface BookingRulesDraft {
  releaseKind: 'rolling' | 'scheduled';
  openAt: string;
  /** 0 = Monday. */
  weekdays: number[];
  daysAhead: string;
  holdMin: string;
  isDraw: boolean;
  drawWindowMin: string;
  earliestDays: string;
  confirmBy: ('email' | 'sms')[];
  hasIdentityKey: boolean;
  identityRequired: boolean;
  identityLabel: Record<string, string>;
}

const P = 'svch';
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export function bookingRulesDraft(ctx: Ctx, o: OnlineBookingT): BookingRulesDraft {
  const r = o.release;
  return {
    releaseKind: r.kind,
    openAt: r.openAt,
    weekdays: r.kind === 'scheduled' ? [...r.weekdays] : [0],
    daysAhead: r.kind === 'scheduled' ? String(r.daysAhead) : '7',
    holdMin: String(o.holdMin),
    isDraw: o.allocation === 'draw',
    drawWindowMin: String(o.drawWindowMin),
    earliestDays: String(o.earliestDays),
    confirmBy: [...o.confirmBy],
    hasIdentityKey: o.identityKey !== null,
    identityRequired: o.identityKey?.required ?? true,
    identityLabel: namesDraft(ctx, o.identityKey?.label ?? null),
  };
}

/** `firstLang`: the office's first language, whose label input an error about the label goes beside. */
export function bookingRulesErrors(d: BookingRulesDraft, firstLang: string): (FieldError | null)[] {
  const label = (k: string): string => t(`backoffice.serviceSettings.${k}`);
  return [
    TIME.test(d.openAt.trim()) ? null : { fieldId: `${P}-openAt`, message: t('backoffice.serviceSettings.timeBad') },
    d.releaseKind === 'scheduled' && d.weekdays.length === 0 ? { fieldId: `${P}-wd-0`, message: t('backoffice.serviceSettings.oneWeekday') } : null,
    d.releaseKind === 'scheduled' ? numberIn(`${P}-daysAhead`, d.daysAhead, label('daysAhead'), 0, 365) : null,
    numberIn(`${P}-hold`, d.holdMin, label('holdMin'), 1, 120),
    d.isDraw ? numberIn(`${P}-drawWindow`, d.drawWindowMin, label('drawWindowMin'), 1, 10_080) : null,
    numberIn(`${P}-earliest`, d.earliestDays, label('earliestDays'), 0, 366),
    d.confirmBy.length === 0 ? { fieldId: `${P}-confirm-email`, message: t('backoffice.serviceSettings.oneChannel') } : null,
    d.hasIdentityKey && Object.keys(namesBody(d.identityLabel)).length === 0 ? { fieldId: `${P}-idlabel-${firstLang}`, message: t('backoffice.serviceSettings.identityLabelNeeded') } : null,
  ];
}

/** The service's policy with this draft's fields replaced. */
export function bookingRulesBody(ctx: Ctx, d: BookingRulesDraft, kept: OnlineBookingT): OnlineBookingT {
  const openAt = d.openAt.trim();
  return {
    ...kept,
    release: d.releaseKind === 'rolling' ? { kind: 'rolling', openAt } : { kind: 'scheduled', openAt, weekdays: [...d.weekdays].sort(), daysAhead: Number(d.daysAhead) },
    holdMin: Number(d.holdMin),
    drawWindowMin: d.isDraw ? Number(d.drawWindowMin) : kept.drawWindowMin,
    earliestDays: Number(d.earliestDays),
    confirmBy: d.confirmBy,
    identityKey: d.hasIdentityKey ? { required: d.identityRequired, label: namesBody(Object.fromEntries(ctx.languages().map((l) => [l, d.identityLabel[l] ?? '']))) } : null,
  };
}

export const BOOKING_RULE_FIELD_IDS: Record<string, string> = {
  'online.release': `${P}-release`,
  'online.release.openAt': `${P}-openAt`,
  'online.release.weekdays': `${P}-wd-0`,
  'online.release.daysAhead': `${P}-daysAhead`,
  'online.holdMin': `${P}-hold`,
  'online.drawWindowMin': `${P}-drawWindow`,
  'online.earliestDays': `${P}-earliest`,
  'online.confirmBy': `${P}-confirm-email`,
  'online.identityKey': `${P}-identity`,
};

const toggled = <T>(list: T[], x: T, on: boolean): T[] => (on ? [...list.filter((y) => y !== x), x] : list.filter((y) => y !== x));

export function bookingRulesFields(ctx: Ctx, d: BookingRulesDraft, errors: FormErrors): TemplateResult {
  const update = (): void => ctx.update();
  const num = (id: string, key: 'daysAhead' | 'holdMin' | 'drawWindowMin' | 'earliestDays'): TemplateResult =>
    field({ id, inputmode: 'numeric', label: t(`backoffice.serviceSettings.${key}`), hint: t(`backoffice.serviceSettings.${key}Hint`), value: d[key], maxlength: 5, error: errors.of(id), onInput: (v) => (d[key] = v) });
  return html`<fieldset>
      <legend>${t('backoffice.serviceSettings.release')}</legend>
      <div class="cols">
        ${selectField({
          id: `${P}-release`,
          label: t('backoffice.serviceSettings.releaseKind'),
          value: d.releaseKind,
          options: (['rolling', 'scheduled'] as const).map((k) => ({ value: k, label: t(`backoffice.serviceSettings.releaseKinds.${k}`) })),
          error: errors.of(`${P}-release`),
          onChange: (v) => ((d.releaseKind = v === 'scheduled' ? 'scheduled' : 'rolling'), update()),
        })}
        ${field({ id: `${P}-openAt`, maxlength: 5, label: t('backoffice.serviceSettings.openAt'), hint: t('backoffice.hours.timeHint'), value: d.openAt, error: errors.of(`${P}-openAt`), onInput: (v) => (d.openAt = v) })}
        ${d.releaseKind === 'scheduled' ? num(`${P}-daysAhead`, 'daysAhead') : nothing}
      </div>
      ${d.releaseKind === 'scheduled'
        ? html`<fieldset>
            <legend>${t('backoffice.serviceSettings.releaseDays')}</legend>
            ${WEEKDAY_KEYS.map((k, i) =>
              checkboxField({ id: `${P}-wd-${i}`, label: t(`backoffice.hours.days.${k}`), checked: d.weekdays.includes(i), error: errors.of(`${P}-wd-${i}`), onChange: (v) => ((d.weekdays = toggled(d.weekdays, i, v)), update()) }),
            )}
          </fieldset>`
        : nothing}
      <div class="cols">${num(`${P}-hold`, 'holdMin')} ${d.isDraw ? num(`${P}-drawWindow`, 'drawWindowMin') : nothing} ${num(`${P}-earliest`, 'earliestDays')}</div>
    </fieldset>
    <fieldset>
      <legend>${t('backoffice.serviceSettings.confirmBy')}</legend>
      ${(['email', 'sms'] as const).map((c) =>
        checkboxField({ id: `${P}-confirm-${c}`, label: t(`backoffice.serviceSettings.channels.${c}`), checked: d.confirmBy.includes(c), error: errors.of(`${P}-confirm-${c}`), onChange: (v) => ((d.confirmBy = toggled(d.confirmBy, c, v)), update()) }),
      )}
    </fieldset>
    <fieldset>
      <legend>${t('backoffice.serviceSettings.identity')}</legend>
      ${checkboxField({ id: `${P}-identity`, label: t('backoffice.serviceSettings.identityOn'), hint: t('backoffice.serviceSettings.identityHint'), checked: d.hasIdentityKey, error: errors.of(`${P}-identity`), onChange: (v) => ((d.hasIdentityKey = v), update()) })}
      ${d.hasIdentityKey
        ? html`${checkboxField({ id: `${P}-identity-required`, label: t('backoffice.serviceSettings.identityRequired'), checked: d.identityRequired, onChange: (v) => (d.identityRequired = v) })}
            <div class="cols">
              ${ctx.languages().map((l) =>
                field({ id: `${P}-idlabel-${l}`, label: t('backoffice.serviceSettings.identityLabel', { lang: langName(l) }), value: d.identityLabel[l] ?? '', maxlength: 120, error: errors.of(`${P}-idlabel-${l}`), onInput: (v) => (d.identityLabel[l] = v) }),
              )}
            </div>`
        : nothing}
    </fieldset>`;
}
