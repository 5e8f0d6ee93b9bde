import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import {
  MAX_COUNTERS,
  MAX_DEPARTMENTS,
  MAX_PRIORITY_CATEGORIES,
  MAX_SERVICES,
  SCREEN_LOGO_MAX_BYTES,
  TICKET_LOGO_MAX_BYTES,
  TICKET_LOGO_MAX_HEIGHT_DOTS,
  TICKET_LOGO_MAX_WIDTH_DOTS,
} from '../core/config/limits.ts';
import { CONFIG_SECTIONS, type ConfigPatchData, type OfficeConfigData } from '../core/config/model.ts';
import { ServiceRulesSchema } from './rules.ts';
import { Calendar, ConfigId, Day, type DayHours, Language, LocalizedName, TimeZone, WeekHours, line, uniqueLanguages } from './office-config-basics.ts';
export * from './office-config-basics.ts';
/** The bounds the forms show and check before sending (the schemas below enforce them). */
export { MAX_PRIORITY_CATEGORIES, SCREEN_LOGO_MAX_BYTES, TICKET_LOGO_MAX_BYTES, TICKET_LOGO_MAX_HEIGHT_DOTS, TICKET_LOGO_MAX_WIDTH_DOTS };

/**
 * The whole configuration of one office, as the API reads and writes it, the office file
 * (`fronta office export|apply`, YAML) holds it and the back-office forms edit it. One schema per
 * section; field names camelCase; times office-local `HH:MM`, days office-local `YYYY-MM-DD`,
 * durations in minutes. Objects are strict: an unknown (misspelt) field is refused, never
 * silently dropped. What the shape cannot say (a break inside its day, a counter's services
 * existing, prefixes unique, a voice language being one of the office's) is checked by
 * core/config/validate.ts, with the same field paths.
 */

// ——— the office ———

export const Address = z.strictObject({
  /** Street and number, building, floor: as printed on an envelope. */
  lines: z.array(line(120)).min(1).max(4),
  postalCode: line(20).optional(),
  city: line(80),
  /** ISO 3166-1 alpha-2 (`CZ`, `RO`, `CN`). */
  country: z.string().regex(/^[A-Z]{2}$/, 'two capital letters (CZ)'),
});

/** How the public reaches the office, and who is the controller of its personal data (the privacy page names them). */
export const PublicContact = z.strictObject({
  phone: line(40).optional(),
  email: z.email().max(254).optional(),
  web: z.url({ protocol: /^https?$/ }).max(300).optional(),
  /** The data controller's name and address as the privacy page states them (`Město Kostelec, náměstí 1, …`). */
  dataController: line(300),
});

/** The office itself (admin). */
export const OfficeProfile = z.strictObject({
  /** The office's name per language (the first language's is its name on screens that show one). */
  names: LocalizedName,
  timeZone: TimeZone,
  /** Languages offered on kiosk, portal and tickets; the first is the default. */
  languages: z.array(Language).min(1).max(LANGUAGES.length).refine(uniqueLanguages, 'each language once'),
  /** Languages the hall display speaks a call in, in order; each one of `languages` (≈ 3 s per language per call). */
  voiceLanguages: z.array(Language).min(1).max(LANGUAGES.length).refine(uniqueLanguages, 'each language once'),
  address: Address.nullable(),
  contact: PublicContact.nullable(),
});

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');
const base64Bytes = (b64: string): number => Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

/** The logo on kiosk, display and portal. SVG is refused: it can carry script. */
export const ScreenLogo = z.strictObject({
  mediaType: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  data: base64.refine((b) => base64Bytes(b) <= SCREEN_LOGO_MAX_BYTES, `at most ${SCREEN_LOGO_MAX_BYTES / 1024} KiB`),
});

/**
 * The logo printed at the top of each ticket. `raster`: one bit per dot (1 = black), rows of
 * `widthDots / 8` bytes top to bottom (ESC/POS `GS v 0` order), small enough to print inside the
 * print acknowledgement time at 9600 baud (TICKET_LOGO_MAX_BYTES). `stored`: a logo already in
 * the printer's own memory (NV graphics, `FS ( L` key codes), for printers whose profile allows it.
 */
export const TicketLogo = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('raster'),
      widthDots: z.number().int().min(8).max(TICKET_LOGO_MAX_WIDTH_DOTS).multipleOf(8),
      heightDots: z.number().int().min(1).max(TICKET_LOGO_MAX_HEIGHT_DOTS),
      data: base64,
    })
    .refine((l) => (l.widthDots / 8) * l.heightDots <= TICKET_LOGO_MAX_BYTES, {
      message: `at most ${TICKET_LOGO_MAX_BYTES} bytes (width/8 × height): a bigger logo would not print within the acknowledgement time at 9600 baud`,
      path: ['heightDots'],
    })
    .refine((l) => base64Bytes(l.data) === (l.widthDots / 8) * l.heightDots, { message: 'width/8 × height bytes', path: ['data'] }),
  z.strictObject({
    kind: z.literal('stored'),
    /** The two key code characters the logo was stored under (`FS ( L` / `GS ( L`). */
    key: z.string().regex(/^[\x21-\x7e]{2}$/, 'two printable ASCII characters'),
  }),
]);

/** Logos (admin); a section of its own so that the audit of other office changes does not carry images. */
export const Logos = z.strictObject({ screen: ScreenLogo.nullable(), ticket: TicketLogo.nullable() });

// ——— fairness, alerts ———

export const PriorityCategory = z.strictObject({
  id: ConfigId,
  /** Higher goes first among priority tickets (1 to 100). */
  weight: z.number().int().min(1).max(100),
  names: LocalizedName,
});

/** How the queue treats people (admin). */
export const Fairness = z.strictObject({
  /** A walk-in waiting longer than this (minutes) goes ahead of everything but due booked arrivals; 0 = off. */
  maxWaitMin: z.number().int().min(0).max(600),
  /** Recalls allowed for one call; one more marks the ticket a no-show. */
  maxRecalls: z.number().int().min(0).max(10),
  /** Service time (minutes) assumed before any ticket of a service was served (the first wait estimates). */
  defaultServiceMin: z.number().int().min(1).max(240),
  priorityCategories: z.array(PriorityCategory).max(MAX_PRIORITY_CATEGORIES),
  /** Clients may rate a finished visit on their ticket's page (absent = yes). */
  ratings: z.boolean().optional(),
  /** Booked clients with a contact are sent a message after service with the link to that rating (absent = no). */
  ratingMessage: z.boolean().optional(),
});

const alertMinutes = z.number().int().min(1).max(600);

/** When the floor view and the counters alert (supervisors may edit; the form sends the whole object). */
export const Alerts = z.strictObject({
  /** Minutes the oldest client of a service may wait before it alerts. */
  targetWaitMin: alertMinutes,
  /** Services with a target of their own (service id → minutes). */
  serviceTargets: z.record(z.string().min(1).max(64), alertMinutes),
  /** Messages waiting to go out before the backlog alerts. */
  outboxBacklog: z.number().int().min(1).max(100_000),
  /** Messages of one channel failing before the provider is reported failing. */
  providerFailures: z.number().int().min(1).max(10_000),
  /** Also e-mail the office's supervisors and admins who gave an address, once when an alert is raised. */
  emailSupervisors: z.boolean(),
});

// ——— departments, services, counters ———

export const Department = z.strictObject({ id: ConfigId, names: LocalizedName });

const ClockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** When a day opens for booking (see core/booking/model.ts ReleaseRule). */
export const ReleaseRule = z.discriminatedUnion('kind', [
  /** Each day opens when it enters the horizon, at `openAt`. */
  z.strictObject({ kind: z.literal('rolling'), openAt: ClockTime }),
  /** On the given weekdays (0 = Monday) at `openAt`, the day `daysAhead` later opens; other days never open online. */
  z.strictObject({
    kind: z.literal('scheduled'),
    weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    openAt: ClockTime,
    daysAhead: z.number().int().min(0).max(365),
  }),
]);

/** A day's capacity of the service in clients: a number, or counter minutes ÷ service minutes. */
export const DayCapacityRule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('explicit'), clients: z.number().int().min(0).max(100_000) }),
  z.strictObject({ kind: z.literal('counter-minutes'), serviceMin: z.number().int().min(1).max(480) }),
]);

/** The identity key the booking form asks for (chassis serial, passport holder): kept only as a keyed hash. */
export const IdentityKey = z.strictObject({ required: z.boolean(), label: LocalizedName });

/** A fee paid online before the booking counts (exam and document fees). */
export const Fee = z.strictObject({
  /** In minor units of the currency (pence, haléře). */
  amount: z.number().int().min(1).max(100_000_000),
  /** ISO 4217 code. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, 3 capital letters'),
  /** Minutes after the contact is confirmed within which the fee must be paid; then the slot is released. */
  deadlineMin: z.number().int().min(5).max(14 * 24 * 60),
  refunds: z.strictObject({
    /** The client's own cancellation once paid: no refund (the usual rule) or the full fee. */
    clientCancel: z.enum(['none', 'full']),
    /** The office's change or cancellation of a paid booking is always refunded. */
    officeChange: z.literal('refund'),
  }),
});

/** Online booking of a service (the booking policy). Absent (null) = walk-in only. */
export const OnlineBooking = z.strictObject({
  dayCapacity: DayCapacityRule,
  /** Percentage of the day's capacity offered online; the rest is the kiosk's walk-in cap. */
  onlineSharePct: z.number().int().min(0).max(100),
  /** Online places a day regardless of the share (never more than the day's capacity); null = by share. */
  onlinePlaces: z.number().int().min(0).max(100_000).nullable(),
  /** Length of a slot (minutes). */
  slotMin: z.number().int().min(5).max(480),
  /** Places of one slot; null = the day's online places spread evenly over its slots. */
  placesPerSlot: z.number().int().min(1).max(1000).nullable(),
  /** Furthest day bookable, in days after today. */
  horizonDays: z.number().int().min(0).max(366),
  /** Nearest day bookable, in days after today (0 = today). */
  earliestDays: z.number().int().min(0).max(366),
  release: ReleaseRule,
  /** First come first served, or a draw among the applications of a release window. */
  allocation: z.enum(['fcfs', 'draw']),
  /** Draw only: minutes applications stay open after the release. */
  drawWindowMin: z.number().int().min(1).max(7 * 24 * 60),
  /** Minutes a slot is held while the client confirms (one extension of the same length). */
  holdMin: z.number().int().min(1).max(120),
  confirmBy: z
    .array(z.enum(['email', 'sms']))
    .min(1)
    .max(2)
    .refine((c) => new Set(c).size === c.length, 'each channel once'),
  /** Share of each counter's time given to this service (counter id → weight, default 1). */
  counterWeights: z.record(ConfigId, z.number().min(0).max(100)),
  identityKey: IdentityKey.nullable(),
  /** Absent or null: the service is free. */
  fee: Fee.nullable().optional(),
});

export const Service = z.strictObject({
  id: ConfigId,
  departmentId: ConfigId,
  /** One to three capital letters printed before the number (`A`, `CP`); unique in the office. */
  prefix: z.string().regex(/^[A-Z]{1,3}$/, '1 to 3 capital letters'),
  names: LocalizedName,
  /** Walk-in tickets a day when the service has no online booking (with online booking the share decides). */
  dailyWalkInCapacity: z.number().int().min(0).max(100_000),
  /** Hours of this service where they differ from the office's; null = the office's. Always inside them. */
  hours: WeekHours.nullable(),
  online: OnlineBooking.nullable(),
  /** Roster, outcomes and eligibility (also at /offices/:id/services/:id/rules; roster rows at …/roster). */
  rules: ServiceRulesSchema,
});

export const Counter = z.strictObject({
  id: ConfigId,
  /** What the display shows and the voice says (`3`, `12A`); unique in the office. */
  number: z.string().trim().min(1).max(8).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and -'),
  /** A label for staff pages and the display (`Cashier`); null = none. */
  name: LocalizedName.nullable(),
  departmentId: ConfigId.nullable(),
  /** Services served, most preferred first (the preference breaks ties between equal waits). */
  serviceIds: z.array(ConfigId).min(1).max(MAX_SERVICES).refine((s) => new Set(s).size === s.length, 'each service once'),
});

// ——— the whole configuration ———

export { CONFIG_SECTIONS };
export const ConfigSection = z.enum(CONFIG_SECTIONS);
export type ConfigSectionT = z.infer<typeof ConfigSection>;

/**
 * The whole configuration (`GET /offices/:id/config`, the office file). Lists are in display
 * order: departments and services as the kiosk shows them, counters as staff pages list them.
 */
export const OfficeConfig = z.strictObject({
  id: ConfigId,
  office: OfficeProfile,
  logos: Logos,
  hours: WeekHours,
  calendar: Calendar,
  fairness: Fairness,
  alerts: Alerts,
  departments: z.array(Department).max(MAX_DEPARTMENTS),
  services: z.array(Service).max(MAX_SERVICES),
  counters: z.array(Counter).max(MAX_COUNTERS),
});

/**
 * A change, as the audit records it and undo re-applies it: whole sections replaced, and items of
 * the lists upserted (an object) or removed (null) by id. `order` sets the order of a list
 * (every id of it, once); a new item without one goes last.
 */
export const ConfigPatch = z.strictObject({
  office: OfficeProfile.optional(),
  logos: Logos.optional(),
  hours: WeekHours.optional(),
  calendar: Calendar.optional(),
  fairness: Fairness.optional(),
  alerts: Alerts.optional(),
  departments: z.record(ConfigId, Department.nullable()).optional(),
  services: z.record(ConfigId, Service.nullable()).optional(),
  counters: z.record(ConfigId, Counter.nullable()).optional(),
  order: z
    .strictObject({
      departments: z.array(ConfigId).max(MAX_DEPARTMENTS).optional(),
      services: z.array(ConfigId).max(MAX_SERVICES).optional(),
      counters: z.array(ConfigId).max(MAX_COUNTERS).optional(),
    })
    .optional(),
});

// ——— request bodies ———

/** `PATCH /offices/:id`: the fields given replace theirs. */
export const OfficeProfilePatch = OfficeProfile.partial().refine((o) => Object.keys(o).length > 0, 'at least one field');
/** `POST /offices/:id/departments`: the id is generated unless given. */
export const DepartmentCreate = Department.extend({ id: ConfigId.optional() });
/** `POST /offices/:id/services`: the id is generated unless given; rules default to none. */
export const ServiceCreate = Service.extend({
  id: ConfigId.optional(),
  rules: ServiceRulesSchema.optional(),
  hours: WeekHours.nullable().optional(),
  online: OnlineBooking.nullable().optional(),
});
/** `PATCH /offices/:id/services/:serviceId`: the fields given replace theirs. */
export const ServicePatch = Service.omit({ id: true }).partial().refine((s) => Object.keys(s).length > 0, 'at least one field');
export const CounterCreate = Counter.extend({ id: ConfigId.optional(), name: LocalizedName.nullable().optional(), departmentId: ConfigId.nullable().optional() });
export const CounterPatch = Counter.omit({ id: true }).partial().refine((c) => Object.keys(c).length > 0, 'at least one field');
/** `PUT /offices/:id/order`: reorder lists. */
export const OrderBody = ConfigPatch.shape.order.unwrap();

/** `?preview=1` (or `true`): validate and answer what the change would do, change nothing. */
export const PreviewQuery = z.object({ preview: z.enum(['0', '1', 'true', 'false']).optional() });

export const ConfigParams = z.object({ officeId: ConfigId });
export const ConfigDepartmentParams = z.object({ officeId: ConfigId, departmentId: ConfigId });
export const ConfigServiceParams = z.object({ officeId: ConfigId, serviceId: ConfigId });
export const ConfigCounterParams = z.object({ officeId: ConfigId, counterId: ConfigId });
/** `changeId` is the audit record's number; anything else names no change (CONFIG_CHANGE_NOT_FOUND). */
export const AuditChangeParams = z.object({ officeId: ConfigId, changeId: ConfigId });
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** Changes with an id below this one (paging back). */
  before: z.coerce.number().int().min(1).optional(),
});

// ——— answers ———

/** A booking a change touches (closing its day, hours no longer covering it, its service no longer booked online or served at no counter). Nothing personal. */
export const AffectedBooking = z.object({
  bookingId: z.string(),
  number: z.string(),
  serviceId: z.string(),
  day: Day,
  /** Booked time, office-local `HH:MM`, and the instant. */
  time: z.string(),
  startAt: z.number(),
  state: z.enum(['held', 'awaiting_payment', 'confirmed']),
  reason: z.enum(['day-closed', 'outside-hours', 'service-removed', 'online-off', 'no-counter']),
});
export type AffectedBookingT = z.infer<typeof AffectedBooking>;

/** One field that changed, by its path in OfficeConfig (`services.passports.names.cs`), from → to (JSON; null = absent). */
export const FieldChange = z.object({ path: z.string(), from: z.unknown(), to: z.unknown() });

/** The answer of every write (and of its `?preview=1`). */
export const ConfigChangeResponse = z.object({
  /** False for a preview, or when nothing differed. */
  applied: z.boolean(),
  /** The audit record's id; null when not applied. */
  changeId: z.number().int().nullable(),
  sections: z.array(ConfigSection),
  changes: z.array(FieldChange),
  /** Bookings the change leaves outside opening hours or without their service: to be moved or cancelled (the office-change flow). */
  affectedBookings: z.array(AffectedBooking),
  /** The configuration after the change (as it would be, for a preview). */
  config: OfficeConfig,
});

export const AuditEntry = z.object({
  id: z.number().int(),
  officeId: z.string(),
  at: z.number(),
  /** Null for the CLI / office file run without a user. */
  userId: z.string().nullable(),
  username: z.string().nullable(),
  via: z.enum(['api', 'file', 'cli', 'undo']),
  /** Undo: the change whose old values this re-applied. */
  undoOf: z.number().int().nullable(),
  sections: z.array(ConfigSection),
  changes: z.array(FieldChange),
  /** The touched parts before and after (each a ConfigPatch): undo applies `before`. */
  before: ConfigPatch,
  after: ConfigPatch,
});
export const AuditResponse = z.object({ changes: z.array(AuditEntry) });

export type OfficeConfigT = z.infer<typeof OfficeConfig>;
export type ConfigPatchT = z.infer<typeof ConfigPatch>;
export type OfficeProfileT = z.infer<typeof OfficeProfile>;
export type WeekHoursT = z.infer<typeof WeekHours>;
export type DayHoursT = z.infer<typeof DayHours>;
export type CalendarT = z.infer<typeof Calendar>;
export type FairnessT = z.infer<typeof Fairness>;
export type AlertsT = z.infer<typeof Alerts>;
export type LogosT = z.infer<typeof Logos>;
export type DepartmentT = z.infer<typeof Department>;
export type ServiceT = z.infer<typeof Service>;
export type OnlineBookingT = z.infer<typeof OnlineBooking>;
export type CounterT = z.infer<typeof Counter>;
export type AuditEntryT = z.infer<typeof AuditEntry>;
export type ConfigChangeResponseT = z.infer<typeof ConfigChangeResponse>;

// What the schemas parse is what the core works on: these fail to compile if the two drift.
const parsedConfigFits: OfficeConfigT extends OfficeConfigData ? true : false = true;
const parsedPatchFits: ConfigPatchT extends ConfigPatchData ? true : false = true;
void [parsedConfigFits, parsedPatchFits];
