import { z } from 'zod';

/** The booking portal's API: requests and answers, shared by the host and the portal page. */

const serviceId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** 256-bit secrets, base64url. */
const secret = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a valid link or key');
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
/** Free text of at most `max` characters without control characters. */
export const text = (max: number) => z.string().max(max).refine((s) => !hasControl(s), 'no control characters');

export const ServiceParams = z.object({ serviceId });
export const DayParams = z.object({ serviceId, day });
export const SecretParams = z.object({ key: secret });
export const TokenParams = z.object({ token: secret });
export const NumberParams = z.object({ number: z.string().min(1).max(20) });
export const BookingOfficeParams = z.object({ officeId: serviceId });
/** `?lang=` picks the language of the names and the public message, over Accept-Language (a link or a page may say which). */
export const LangQuery = z.object({ lang: z.string().max(35).optional() });

export const Channel = z.enum(['email', 'sms']);
export const BookingState = z.enum(['held', 'awaiting_payment', 'confirmed', 'expired', 'cancelled', 'checked_in', 'done', 'lapsed', 'no_show']);

export const HoldBody = z.object({
  slotId: z.string().min(1).max(120).regex(/^[A-Za-z0-9_-]+~\d{4}-\d{2}-\d{2}~\d{4}$/),
  name: text(120).pipe(z.string().trim().min(1)),
  email: text(254).nullable().optional(),
  phone: text(32).nullable().optional(),
  channel: Channel,
  identityKey: text(64).nullable().optional(),
});

export const ApplyBody = HoldBody.omit({ slotId: true }).extend({ serviceId, day });

export const CodeBody = z.object({ code: z.string().min(1).max(12) });
export const TokenBody = z.object({ token: secret });
export const CancelBody = z.union([
  z.object({ token: secret }),
  z.object({ number: z.string().min(1).max(20), contact: text(254).pipe(z.string().trim().min(3)) }),
]);

export const PolicyView = z.object({
  allocation: z.enum(['fcfs', 'draw']),
  confirmBy: z.array(Channel),
  horizonDays: z.number().int(),
  earliestDays: z.number().int(),
  holdMin: z.number().int(),
  slotMin: z.number().int(),
  /** The identity key the form asks for (chassis serial, passport holder), in the caller's language; null = none. */
  identityKey: z.object({ required: z.boolean(), label: z.string() }).nullable(),
});

/** A booking's fee order as the portal shows it (the whole order: GET /booking/fees/:orderNo). */
export const OrderSummary = z.object({
  orderNo: z.string(),
  state: z.enum(['awaiting_payment', 'paid', 'expired', 'refunded']),
  amount: z.number().int(),
  currency: z.string(),
  deadlineAt: z.number().int(),
});

/** A service's fee, shown before a time is held: amount in minor units of `currency`, payable within `deadlineMin` of confirming the contact. */
export const FeeView = z.object({ amount: z.number().int(), currency: z.string(), deadlineMin: z.number().int() });

export const BookingServicesResponse = z.object({
  officeId: z.string(),
  officeName: z.string(),
  timeZone: z.string(),
  suspended: z.boolean(),
  suspendedMessage: z.string(),
  today: day,
  /** Days personal data is kept after the appointment (the privacy notice says so). */
  retentionDays: z.number().int(),
  services: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      department: z.string(),
      /** Only people on the office's roster may book: the form asks for the document number (sent as `identityKey`). */
      roster: z.boolean(),
      policy: PolicyView,
      /** Paid online once the contact is confirmed, before the booking counts; null = free. */
      fee: FeeView.nullable(),
    }),
  ),
});

export const DayStatusView = z.object({
  day,
  status: z.enum(['open', 'not-yet', 'never', 'closed', 'past', 'too-soon', 'beyond-horizon']),
  opensAt: z.number().nullable(),
  free: z.number().int(),
});

export const DaysResponse = z.object({ serviceId: z.string(), days: z.array(DayStatusView) });

export const SlotsResponse = z.object({
  serviceId: z.string(),
  day,
  status: DayStatusView.shape.status,
  opensAt: z.number().nullable(),
  allocation: z.enum(['fcfs', 'draw']),
  slots: z.array(z.object({ id: z.string(), startAt: z.number(), time: z.string(), free: z.number().int() })),
});

/** The client's own booking (hold key or confirm link): the kiosk code only once confirmed. */
export const OwnBooking = z.object({
  state: BookingState,
  serviceId: z.string(),
  serviceName: z.string(),
  officeName: z.string(),
  day,
  time: z.string(),
  startAt: z.number(),
  /** The office's IANA time zone: pages show `startAt` in the reader's format, in office time. */
  timeZone: z.string().optional(),
  channel: Channel,
  holdExpiresAt: z.number().nullable(),
  canExtend: z.boolean(),
  number: z.string().nullable(),
  kioskCode: z.string().nullable(),
  icsUrl: z.string().nullable(),
  /**
   * A fee-paying booking's order (null for a free service): `awaiting_payment` means pay by
   * `deadlineAt` (ms UTC) on the pay page, else the place is released. Amount in minor units.
   */
  order: OrderSummary.nullable().optional(),
});

export const HoldResponse = z.object({ holdKey: z.string(), booking: OwnBooking });

export const ConfirmPeekResponse = z.object({
  state: z.enum(['valid', 'used', 'expired', 'unknown']),
  serviceName: z.string().nullable(),
  time: z.string().nullable(),
  /** The start as an instant (ms since epoch), for the reader's own date format; null unless valid. */
  startAt: z.number().nullable().optional(),
  timeZone: z.string().nullable().optional(),
  /** A used link of a booking that stands: the booking as its confirmation answered it (number, time, kiosk code). */
  booking: OwnBooking.nullable().optional(),
});

export const StatusResponse = z.object({
  number: z.string(),
  state: BookingState,
  serviceName: z.string(),
  officeName: z.string(),
  day,
  time: z.string(),
  startAt: z.number(),
  timeZone: z.string().optional(),
});

export const DrawResponse = z.object({
  serviceId: z.string(),
  day,
  opensAt: z.number(),
  closesAt: z.number(),
  commitment: z.string(),
  seed: z.string().nullable(),
  state: z.enum(['open', 'done']),
});

export const ApplyResponse = z.object({ holdKey: z.string(), applicationId: z.string(), draw: DrawResponse });

export const OutboxResponse = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      bookingId: z.string().nullable(),
      channel: Channel,
      kind: z.string(),
      state: z.enum(['pending', 'sending', 'sent', 'failed']),
      attempts: z.number().int(),
      nextAttemptAt: z.number(),
      lastError: z.string().nullable(),
      createdAt: z.number(),
      sentAt: z.number().nullable(),
    }),
  ),
});

export type HoldBodyT = z.infer<typeof HoldBody>;
export type OwnBookingT = z.infer<typeof OwnBooking>;
