import { html, nothing, type TemplateResult } from 'lit-html';
import type { OnlineBookingT } from '../../../contracts/office-config.ts';
import { t } from '../../shared/i18n.ts';
import { field, type FieldError } from '../../shared/ui.ts';
import { checkboxField, selectField, wholeNumber, type FormErrors } from '../form.ts';

/**
 * The online booking of a service as its form edits it: booked online or not, the slot length,
 * places per slot, how far ahead, the share of the day offered online and FCFS or a draw. What
 * the form does not show (release rule, hold time, confirmation channels…) keeps the service's
 * values, or sensible ones for a service newly booked online.
 */

export interface OnlineDraft {
  isOn: boolean;
  slotMin: string;
  placesPerSlot: string;
  horizonDays: string;
  sharePct: string;
  allocation: 'fcfs' | 'draw';
  /** The service's policy as read: the fields the form does not edit come from it. */
  kept: OnlineBookingT | null;
}

/** Fields a new online booking starts with: a rolling release at midnight, held 15 minutes, confirmed by e-mail. */
const DEFAULTS: Omit<OnlineBookingT, 'dayCapacity'> = {
  onlineSharePct: 50,
  onlinePlaces: null,
  slotMin: 15,
  placesPerSlot: 1,
  horizonDays: 30,
  earliestDays: 0,
  release: { kind: 'rolling', openAt: '00:00' },
  allocation: 'fcfs',
  drawWindowMin: 60,
  holdMin: 15,
  confirmBy: ['email'],
  counterWeights: {},
  identityKey: null,
};

export function onlineDraft(o: OnlineBookingT | null): OnlineDraft {
  const v = o ?? { ...DEFAULTS, dayCapacity: { kind: 'explicit', clients: 0 } };
  return {
    isOn: o !== null,
    slotMin: String(v.slotMin),
    placesPerSlot: v.placesPerSlot === null ? '' : String(v.placesPerSlot),
    horizonDays: String(v.horizonDays),
    sharePct: String(v.onlineSharePct),
    allocation: v.allocation,
    kept: o,
  };
}

const NUMBERS = [
  ['svc-slot', 'slotMin', 5, 480],
  ['svc-places', 'placesPerSlot', 1, 1000],
  ['svc-horizon', 'horizonDays', 0, 366],
  ['svc-share', 'sharePct', 0, 100],
] as const;

/** The numbers the form holds that are not whole or out of their range, for the error summary. */
export function onlineErrors(d: OnlineDraft): (FieldError | null)[] {
  if (!d.isOn) return [];
  return NUMBERS.map(([id, key, min, max]) => {
    // No places per slot: the day's online places spread evenly over its slots.
    if (key === 'placesPerSlot' && d[key].trim() === '') return null;
    const n = wholeNumber(d[key]);
    return n === null || n < min || n > max ? { fieldId: id, message: t('backoffice.servicesConfig.wholeBetween', { field: t(`backoffice.servicesConfig.${key}`), min, max }) } : null;
  });
}

/**
 * The service's `online` for the API: null when not booked online. The day's capacity is the
 * form's "tickets a day" (`capacity`) unless the service counts it in counter minutes.
 */
export function onlineBody(d: OnlineDraft, capacity: number): OnlineBookingT | null {
  if (!d.isOn) return null;
  const base = d.kept ?? { ...DEFAULTS, dayCapacity: { kind: 'explicit', clients: capacity } };
  return {
    ...base,
    dayCapacity: base.dayCapacity.kind === 'explicit' ? { kind: 'explicit', clients: capacity } : base.dayCapacity,
    slotMin: Number(d.slotMin),
    placesPerSlot: d.placesPerSlot.trim() === '' ? null : Number(d.placesPerSlot),
    horizonDays: Number(d.horizonDays),
    onlineSharePct: Number(d.sharePct),
    allocation: d.allocation,
  };
}

/** The host's field names of `online.*` → the inputs showing them. */
export const ONLINE_FIELD_IDS: Record<string, string> = {
  online: 'svc-online',
  'online.slotMin': 'svc-slot',
  'online.placesPerSlot': 'svc-places',
  'online.horizonDays': 'svc-horizon',
  'online.onlineSharePct': 'svc-share',
  'online.allocation': 'svc-allocation',
};

export function onlineFields(d: OnlineDraft, errors: FormErrors, update: () => void): TemplateResult {
  const num = (id: string, key: (typeof NUMBERS)[number][1], hint?: string): TemplateResult =>
    field({ id, inputmode: 'numeric', label: t(`backoffice.servicesConfig.${key}`), ...(hint === undefined ? {} : { hint }), value: d[key], maxlength: 4, error: errors.of(id), onInput: (v) => (d[key] = v) });
  return html`<fieldset class="online">
    <legend>${t('backoffice.servicesConfig.online')}</legend>
    ${checkboxField({ id: 'svc-online', label: t('backoffice.servicesConfig.isOnline'), checked: d.isOn, onChange: (v) => ((d.isOn = v), update()) })}
    ${d.isOn
      ? html`<div class="cols">
          ${num('svc-slot', 'slotMin')} ${num('svc-places', 'placesPerSlot', t('backoffice.servicesConfig.placesPerSlotHint'))} ${num('svc-horizon', 'horizonDays')}
          ${num('svc-share', 'sharePct', t('backoffice.servicesConfig.sharePctHint'))}
          ${selectField({
            id: 'svc-allocation',
            label: t('backoffice.servicesConfig.allocation'),
            value: d.allocation,
            options: [
              { value: 'fcfs', label: t('backoffice.servicesConfig.fcfs') },
              { value: 'draw', label: t('backoffice.servicesConfig.draw') },
            ],
            error: errors.of('svc-allocation'),
            onChange: (v) => (d.allocation = v === 'draw' ? 'draw' : 'fcfs'),
          })}
        </div>`
      : nothing}
  </fieldset>`;
}
