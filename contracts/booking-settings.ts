import { z } from 'zod';
import { BAN_DAYS_MAX, CHECK_IN_WINDOW_MAX_MIN, RETENTION_DAYS_MAX } from '../core/booking/settings.ts';
import { LANGUAGES } from '../core/shared/model.ts';
import { MIN_RETENTION_DAYS } from '../core/booking/retention.ts';
import { text } from './booking.ts';

/**
 * An office's online-booking settings (staff): the crisis switch and its public message, check-in,
 * the rules about people, the retention period; and who changed what.
 */

const windowMin = z.number().int().min(0).max(CHECK_IN_WINDOW_MAX_MIN);
const banDays = z.number().int().min(0).max(BAN_DAYS_MAX);
const someGiven = (o: object): boolean => Object.values(o).some((v) => v !== undefined);

const messageText = text(500).pipe(z.string().trim().min(1));

/** A message to the public per language; when given, it replaces the whole message (at least one language). */
export const PublicMessage = z.partialRecord(z.enum(LANGUAGES), messageText).refine(someGiven, 'at least one language');

/**
 * What a client may send as the public message: one text per language, or (as clients before
 * per-language messages did) one text, which is the office's first language's.
 */
export const PublicMessageInput = z.union([messageText, PublicMessage]);

export const CheckInShape = {
  /** Minutes before the booked time a client may check in. */
  earlyMin: windowMin,
  /** Minutes after it. */
  lateMin: windowMin,
  /** A client past the window: refused, or offered a walk-in ticket while walk-in capacity remains. */
  late: z.enum(['refuse', 'walk-in']),
  /** Prefix of booked arrivals' tickets (`R`); null = the service's own. */
  prefix: z.string().regex(/^[A-Z]{1,3}$/, '1 to 3 capital letters').nullable(),
};

export const RulesShape = {
  /** A second active booking of the same identity key: refused, or every such booking cancelled once it is confirmed. */
  identityDuplicates: z.enum(['refuse', 'cancelAll']),
  /** Days a no-show bars its contacts and identity key from booking (0 = off). */
  noShowBanDays: banDays,
  /** Default length of a staff ban for fictitious data (days; at least 1). */
  fictitiousBanDays: banDays.min(1),
  /** Refuse a national ID number (Romanian CNP, Czech rodné číslo, Chinese resident ID) in the name, e-mail or identity key. */
  forbidNationalIds: z.boolean(),
};

export const retentionDays = z.number().int().min(MIN_RETENTION_DAYS).max(RETENTION_DAYS_MAX);

/**
 * A partial update (admin): fields not given keep their value; nested objects likewise. Unknown
 * fields are refused rather than ignored, so a misplaced one is not silently lost.
 */
export const BookingSettingsBody = z.strictObject({
  suspended: z.boolean().optional(),
  suspendedMessage: PublicMessageInput.optional(),
  checkIn: z.strictObject(CheckInShape).partial().refine(someGiven, 'at least one field').optional(),
  rules: z.strictObject(RulesShape).partial().refine(someGiven, 'at least one field').optional(),
  /** Days personal data of a booking is kept after its day. */
  retentionDays: retentionDays.optional(),
});

/** The crisis switch (supervisor or admin): on or off; a message given replaces the public one. */
export const CrisisBody = z.strictObject({
  on: z.boolean(),
  message: PublicMessageInput.optional(),
});

const Localized = z.partialRecord(z.enum(LANGUAGES), z.string());
const SettingValue = z.union([z.string(), z.number(), z.boolean(), z.null(), Localized]);

export const SettingsChangeView = z.object({
  /** The event's id in the office's log. */
  id: z.number().int(),
  at: z.number(),
  userId: z.string(),
  /** The staff member's username; null if the account is gone. */
  username: z.string().nullable(),
  via: z.enum(['settings', 'crisis', 'cli']),
  /** Each field that changed (`suspended`, `rules.noShowBanDays`, `checkIn.late`…), from → to. */
  changes: z.array(z.object({ field: z.string(), from: SettingValue, to: SettingValue })),
});

export const BookingSettingsResponse = z.object({
  officeId: z.string(),
  /** The office's languages, its first one first: the public message is written in each (the first stands in for a missing one). */
  languages: z.array(z.enum(LANGUAGES)),
  /** Crisis mode: all online booking stopped, the message shown to the public. */
  suspended: z.boolean(),
  suspendedMessage: Localized,
  // As stored, without the bounds of a change: a value set before the bounds existed is still shown.
  checkIn: z.object({ earlyMin: z.number(), lateMin: z.number(), late: CheckInShape.late, prefix: z.string().nullable() }),
  rules: z.object({ identityDuplicates: RulesShape.identityDuplicates, noShowBanDays: z.number(), fictitiousBanDays: z.number(), forbidNationalIds: z.boolean() }),
  retentionDays: z.number(),
  /** The latest changes (at most 20), newest first: who turned the crisis switch on, and when. */
  history: z.array(SettingsChangeView),
});

export type BookingSettingsResponseT = z.infer<typeof BookingSettingsResponse>;
