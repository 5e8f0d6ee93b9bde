import type { BookingOfficeSettings, BookingRules, CheckInSettings, SettingChange, SettingsChangeVia, SettingValue } from './model.ts';
import type { BookingStore } from './ports.ts';
import type { Localized } from '../shared/model.ts';
import type { Clock, QueueStore } from '../queue/ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { MIN_RETENTION_DAYS, type RetentionStore } from './retention.ts';

// The change records live in booking-model.ts (the events need them too); kept reachable from here.
export type { SettingChange, SettingsChangeVia, SettingValue } from './model.ts';

/**
 * An office's online-booking switches as staff change them: the crisis switch (all online booking
 * stopped, with a message to the public), check-in, the rules about people, and the retention
 * period. One change is one unit of work; what changed (from → to) and who changed it is a
 * `booking:settings-changed` event in the office's event log.
 */

/** Longest check-in window on either side of the booked time (minutes). */
export const CHECK_IN_WINDOW_MAX_MIN = 120;
/** Longest ban period an office may set (days): ten years. */
export const BAN_DAYS_MAX = 3650;
/** Longest retention period (days): ten years. */
export const RETENTION_DAYS_MAX = 3650;

/** Everything an admin sets about an office's online booking. */
export interface BookingSettings extends BookingOfficeSettings {
  /** Days personal data of a booking is kept after its day (at least MIN_RETENTION_DAYS). */
  retentionDays: number;
}

/** A partial update: what is not given keeps its value. A given message replaces the whole message. */
export interface BookingSettingsPatch {
  suspended?: boolean | undefined;
  suspendedMessage?: Localized | undefined;
  checkIn?: { [K in keyof CheckInSettings]?: CheckInSettings[K] | undefined } | undefined;
  rules?: { [K in keyof BookingRules]?: BookingRules[K] | undefined } | undefined;
  retentionDays?: number | undefined;
}

export interface BookingSettingsDeps {
  store: Pick<QueueStore, 'getOffice' | 'appendEvent'>;
  bookings: Pick<BookingStore, 'officeSettings' | 'putOfficeSettings'>;
  retention: Pick<RetentionStore, 'retentionDays' | 'setRetentionDays'>;
  clock: Clock;
}

export async function bookingSettings(deps: Pick<BookingSettingsDeps, 'bookings' | 'retention'>, officeId: string): Promise<BookingSettings> {
  const s = await deps.bookings.officeSettings(officeId);
  return {
    officeId,
    suspended: s.suspended,
    suspendedMessage: { ...s.suspendedMessage },
    checkIn: { ...s.checkIn },
    rules: { ...s.rules },
    retentionDays: await deps.retention.retentionDays(officeId),
  };
}

const within = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

/** The bounds the API's schema checks, checked again here for any other caller: a bad value is never stored. */
function invalidField(s: BookingSettings): string | null {
  if (!within(s.checkIn.earlyMin, 0, CHECK_IN_WINDOW_MAX_MIN)) return 'checkIn.earlyMin';
  if (!within(s.checkIn.lateMin, 0, CHECK_IN_WINDOW_MAX_MIN)) return 'checkIn.lateMin';
  if (s.checkIn.late !== 'refuse' && s.checkIn.late !== 'walk-in') return 'checkIn.late';
  if (s.checkIn.prefix !== null && !/^[A-Z]{1,3}$/.test(s.checkIn.prefix)) return 'checkIn.prefix';
  if (s.rules.identityDuplicates !== 'refuse' && s.rules.identityDuplicates !== 'cancelAll') return 'rules.identityDuplicates';
  if (!within(s.rules.noShowBanDays, 0, BAN_DAYS_MAX)) return 'rules.noShowBanDays';
  // A ban of 0 days would end as it starts: the staff ban's default is at least a day.
  if (!within(s.rules.fictitiousBanDays, 1, BAN_DAYS_MAX)) return 'rules.fictitiousBanDays';
  if (typeof s.rules.forbidNationalIds !== 'boolean') return 'rules.forbidNationalIds';
  if (!within(s.retentionDays, MIN_RETENTION_DAYS, RETENTION_DAYS_MAX)) return 'retentionDays';
  return null;
}

const hasText = (m: Localized): boolean => Object.values(m).some((v) => v !== undefined && v.trim() !== '');

/** Only the fields given (JSON has no undefined, but a caller in code may pass one). */
function given<T extends object>(patch: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(patch ?? {}).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function merge(before: BookingSettings, patch: BookingSettingsPatch): BookingSettings {
  return {
    officeId: before.officeId,
    suspended: patch.suspended ?? before.suspended,
    suspendedMessage: patch.suspendedMessage === undefined ? before.suspendedMessage : given(patch.suspendedMessage),
    checkIn: { ...before.checkIn, ...given(patch.checkIn) },
    rules: { ...before.rules, ...given(patch.rules) },
    retentionDays: patch.retentionDays ?? before.retentionDays,
  };
}

const same = (a: SettingValue, b: SettingValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/** What differs between two settings, field by field, in a stable order. */
export function settingChanges(before: BookingSettings, after: BookingSettings): SettingChange[] {
  const out: SettingChange[] = [];
  const add = (field: string, from: SettingValue, to: SettingValue): void => {
    if (!same(from, to)) out.push({ field, from, to });
  };
  add('suspended', before.suspended, after.suspended);
  const lang = (m: Localized): Localized => Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
  add('suspendedMessage', lang(before.suspendedMessage), lang(after.suspendedMessage));
  for (const k of ['earlyMin', 'lateMin', 'late', 'prefix'] as const) add(`checkIn.${k}`, before.checkIn[k], after.checkIn[k]);
  for (const k of ['identityDuplicates', 'noShowBanDays', 'fictitiousBanDays', 'forbidNationalIds'] as const) add(`rules.${k}`, before.rules[k], after.rules[k]);
  add('retentionDays', before.retentionDays, after.retentionDays);
  return out;
}

/**
 * Applies a partial update of an office's booking settings (inside the caller's unit of work). A
 * crisis switched on needs a message for the public in at least one language (given now or kept
 * from before). Nothing changed → nothing written, no event.
 */
export async function changeBookingSettings(
  deps: BookingSettingsDeps,
  req: { officeId: string; userId: string; via: SettingsChangeVia; patch: BookingSettingsPatch },
): Promise<Result<{ settings: BookingSettings; changes: SettingChange[]; }>> {
  if (await deps.store.getOffice(req.officeId) === null) return fail('OFFICE_NOT_FOUND');
  const before = await bookingSettings(deps, req.officeId);
  const after = merge(before, req.patch);
  const bad = invalidField(after);
  if (bad !== null) return fail('VALIDATION_FAILED', { detail: `${bad} is out of range` });
  if (after.suspended && !hasText(after.suspendedMessage)) return fail('CRISIS_MESSAGE_REQUIRED');
  const changes = settingChanges(before, after);
  if (changes.length === 0) return ok({ settings: before, changes });

  const { retentionDays, ...office } = after;
  if (changes.some((c) => c.field !== 'retentionDays')) await deps.bookings.putOfficeSettings(office);
  if (retentionDays !== before.retentionDays) await deps.retention.setRetentionDays(req.officeId, retentionDays);
  await deps.store.appendEvent({ type: 'booking:settings-changed', officeId: req.officeId, payload: { userId: req.userId, via: req.via, changes } }, deps.clock.now());
  return ok({ settings: after, changes });
}
