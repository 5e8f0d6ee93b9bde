import { html, nothing, type TemplateResult } from 'lit-html';
import type { OnlineBookingT } from '../../../contracts/office-config.ts';
import { minorDigits, t } from '../../shared/i18n.ts';
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
  /** The fee paid online before a booking counts; the amount as staff write money (25.50), not in minor units. */
  fee: { isOn: boolean; amount: string; currency: string; deadlineMin: string; clientCancel: 'none' | 'full' };
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
    fee: feeDraft(o?.fee ?? null),
    kept: o,
  };
}

type FeeT = NonNullable<OnlineBookingT['fee']>;

function feeDraft(f: FeeT | null): OnlineDraft['fee'] {
  if (f === null) return { isOn: false, amount: '', currency: 'CZK', deadlineMin: '60', clientCancel: 'none' };
  const digits = minorDigits(f.currency) ?? 2;
  return { isOn: true, amount: (f.amount / 10 ** digits).toFixed(digits), currency: f.currency, deadlineMin: String(f.deadlineMin), clientCancel: f.refunds.clientCancel };
}

/** The amount in minor units, or null when it is not money in that currency (too many decimals, not a number, not above zero). */
function minorUnits(amount: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const m = /^(\d{1,9})(?:[.,](\d+))?$/.exec(amount.trim());
  if (digits === null || m === null || (m[2] ?? '').length > digits) return null;
  const n = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
  return n > 0 ? n : null;
}

function feeErrors(f: OnlineDraft['fee']): (FieldError | null)[] {
  if (!f.isOn) return [];
  const deadline = wholeNumber(f.deadlineMin);
  return [
    /^[A-Z]{3}$/.test(f.currency.trim()) && minorDigits(f.currency.trim()) !== null ? null : { fieldId: 'svc-fee-currency', message: t('backoffice.servicesConfig.feeCurrencyBad') },
    minorUnits(f.amount, f.currency.trim()) === null ? { fieldId: 'svc-fee-amount', message: t('backoffice.servicesConfig.feeAmountBad') } : null,
    deadline === null || deadline < 5 || deadline > 20_160 ? { fieldId: 'svc-fee-deadline', message: t('backoffice.servicesConfig.wholeBetween', { field: t('backoffice.servicesConfig.feeDeadline'), min: 5, max: 20_160 }) } : null,
  ];
}

const feeBody = (f: OnlineDraft['fee']): FeeT | null =>
  f.isOn
    ? { amount: minorUnits(f.amount, f.currency.trim()) ?? 0, currency: f.currency.trim(), deadlineMin: Number(f.deadlineMin), refunds: { clientCancel: f.clientCancel, officeChange: 'refund' } }
    : null;

const NUMBERS = [
  ['svc-slot', 'slotMin', 5, 480],
  ['svc-places', 'placesPerSlot', 1, 1000],
  ['svc-horizon', 'horizonDays', 0, 366],
  ['svc-share', 'sharePct', 0, 100],
] as const;

/** The numbers the form holds that are not whole or out of their range, for the error summary. */
export function onlineErrors(d: OnlineDraft): (FieldError | null)[] {
  if (!d.isOn) return [];
  const numbers = NUMBERS.map(([id, key, min, max]) => {
    // No places per slot: the day's online places spread evenly over its slots.
    if (key === 'placesPerSlot' && d[key].trim() === '') return null;
    const n = wholeNumber(d[key]);
    return n === null || n < min || n > max ? { fieldId: id, message: t('backoffice.servicesConfig.wholeBetween', { field: t(`backoffice.servicesConfig.${key}`), min, max }) } : null;
  });
  return [...numbers, ...feeErrors(d.fee)];
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
    fee: feeBody(d.fee),
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
  'online.fee': 'svc-fee',
  'online.fee.amount': 'svc-fee-amount',
  'online.fee.currency': 'svc-fee-currency',
  'online.fee.deadlineMin': 'svc-fee-deadline',
};

/** The fee: paid online or not; amount, currency, minutes to pay, and whether a client's own cancellation is refunded. */
function feeFields(d: OnlineDraft, errors: FormErrors, update: () => void): TemplateResult {
  const f = d.fee;
  return html`${checkboxField({ id: 'svc-fee', label: t('backoffice.servicesConfig.feeOn'), checked: f.isOn, onChange: (v) => ((f.isOn = v), update()) })}
    ${f.isOn
      ? html`<div class="cols">
          ${field({ id: 'svc-fee-amount', inputmode: 'decimal', label: t('backoffice.servicesConfig.feeAmount'), value: f.amount, maxlength: 13, error: errors.of('svc-fee-amount'), onInput: (v) => (f.amount = v) })}
          ${field({ id: 'svc-fee-currency', label: t('backoffice.servicesConfig.feeCurrency'), hint: t('backoffice.servicesConfig.feeCurrencyHint'), value: f.currency, maxlength: 3, error: errors.of('svc-fee-currency'), onInput: (v) => (f.currency = v.toUpperCase()) })}
          ${field({ id: 'svc-fee-deadline', inputmode: 'numeric', label: t('backoffice.servicesConfig.feeDeadline'), hint: t('backoffice.servicesConfig.feeDeadlineHint'), value: f.deadlineMin, maxlength: 5, error: errors.of('svc-fee-deadline'), onInput: (v) => (f.deadlineMin = v) })}
          ${selectField({
            id: 'svc-fee-cancel',
            label: t('backoffice.servicesConfig.feeClientCancel'),
            value: f.clientCancel,
            options: [
              { value: 'none', label: t('backoffice.servicesConfig.feeRefundNone') },
              { value: 'full', label: t('backoffice.servicesConfig.feeRefundFull') },
            ],
            onChange: (v) => (f.clientCancel = v === 'full' ? 'full' : 'none'),
          })}
        </div>
        <p class="hint">${t('backoffice.servicesConfig.feeOfficeChange')}</p>`
      : nothing}`;
}

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
        </div>
        ${feeFields(d, errors, update)}`
      : nothing}
  </fieldset>`;
}
