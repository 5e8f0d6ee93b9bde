/**
 * The domain's data. Instants are epoch milliseconds (UTC); wall-clock values ("08:00",
 * "2026-11-23") are office-local and interpreted in the office's IANA time zone.
 */

export const LANGUAGES = ['cs', 'ro', 'zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Per-language text; at least the office's default language is present. */
export type Localized = Partial<Record<Language, string>>;

/** `HH:MM`–`HH:MM` office-local, end exclusive; "24:00" allowed as an end. */
export type OpeningInterval = readonly [string, string];

/** Index 0 = Monday … 6 = Sunday (ISO weekday − 1). */
export type WeeklyHours = readonly (readonly OpeningInterval[])[];

export interface PriorityCategory {
  id: string;
  /** Higher goes first among priority tickets; weight 0 would mean "no priority" and is refused. */
  weight: number;
  names: Localized;
}

export interface OfficeSettings {
  /** A walk-in waiting longer than this jumps ahead of everything but due booked arrivals; 0 = off. */
  maxWaitMin: number;
  /** Recalls allowed for one call; one more recall marks the ticket a no-show. */
  maxRecalls: number;
  /** Service time assumed before any ticket of a service was served (minutes). */
  defaultServiceMin: number;
  priorityCategories: readonly PriorityCategory[];
  /**
   * Languages the hall display speaks a call in, in order, each one of the office's languages.
   * Absent: the office's first language only (see core/display-settings.ts). Each language adds
   * about three seconds to every call, so more are an office's choice, not the default.
   */
  voiceLanguages?: readonly Language[];
  /** Clients may rate a visit on their ticket's page once it is done; absent = yes. */
  ratings?: boolean | undefined;
  /** Booked clients are also sent a message after service with a link to that rating; absent = no. */
  ratingMessage?: boolean | undefined;
}

/** The office's postal address, as printed on an envelope (public: portal, tickets, privacy page). */
export interface AddressData {
  lines: readonly string[];
  postalCode?: string | undefined;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** How the public reaches the office, and the controller of its personal data (public). */
export interface ContactData {
  phone?: string | undefined;
  email?: string | undefined;
  web?: string | undefined;
  dataController: string;
}

export interface Office {
  id: string;
  name: string;
  timeZone: string;
  /** First is the default. */
  languages: readonly Language[];
  hours: WeeklyHours;
  /** Office-local dates `YYYY-MM-DD` when the office is closed all day. */
  closedDays: readonly string[];
  /**
   * One-off days with other hours than their weekday's (a short day): for the services listed, or
   * for all when `serviceIds` is absent. A closed day wins over a changed one.
   */
  changedDays?: readonly ChangedDay[];
  /** Printed at the top of each ticket (see core/config/limits.ts for its size); absent or null = none. */
  ticketLogo?: TicketLogoData | null;
  /** The office's name per language (`name` is its first language's); absent = `name` only. */
  names?: Localized;
  /** The office's address and public contact (the back office's office section); absent or null = not given. */
  address?: AddressData | null;
  contact?: ContactData | null;
  settings: OfficeSettings;
}

/** A ticket logo: a raster (base64, one bit per dot, rows of widthDots / 8 bytes) or one kept in the printer (key codes). */
export type TicketLogoData = { kind: 'raster'; widthDots: number; heightDots: number; data: string } | { kind: 'stored'; key: string };

export interface ChangedDay {
  date: string;
  hours: readonly OpeningInterval[];
  serviceIds?: readonly string[] | undefined;
}

export interface Department {
  id: string;
  officeId: string;
  names: Localized;
  position: number;
}

export interface Service {
  id: string;
  officeId: string;
  departmentId: string;
  /** One to three capital letters printed before the number (`A`, `CP`). */
  prefix: string;
  names: Localized;
  /** Walk-in tickets per office day; void tickets don't count. */
  dailyWalkInCapacity: number;
  position: number;
  /** The service's own weekly hours where they differ from the office's (always inside them); absent or null = the office's. */
  hours?: WeeklyHours | null;
}

export type CounterStatus = 'closed' | 'open' | 'paused';

export interface Counter {
  id: string;
  officeId: string;
  /** What the display shows and the voice says ("3"). */
  number: string;
  /** Services served, most preferred first (the preference breaks ties between equal waits). */
  serviceIds: readonly string[];
  /**
   * The subset the signed-in clerk chose for this session (e.g. only the cashier while a
   * colleague is away), in the same order; null = all of `serviceIds`. Cleared at sign-out.
   */
  sessionServiceIds: readonly string[] | null;
  status: CounterStatus;
  /** The user signed in at this counter, if any. */
  userId: string | null;
}

export const TICKET_STATES = [
  'printing',
  'waiting',
  'called',
  'serving',
  'parked',
  'done',
  'no_show',
  'void',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export interface Ticket {
  id: string;
  officeId: string;
  serviceId: string;
  /** Prefix and sequence are fixed at issue; a transfer keeps them. */
  prefix: string;
  seq: number;
  /** Office-local date the number belongs to. */
  day: string;
  number: string;
  state: TicketState;
  categoryId: string | null;
  /** The category's weight when the ticket was issued (0 = none): what the call policy ranks by. */
  priorityWeight: number;
  /** Booked appointment time (set by check-in of an online booking), else null. */
  bookedAt: number | null;
  /** When the client joined the queue; kept across transfer and park. */
  arrivedAt: number;
  counterId: string | null;
  recallCount: number;
  issuedAt: number;
  waitingAt: number | null;
  calledAt: number | null;
  servingAt: number | null;
  parkedAt: number | null;
  doneAt: number | null;
  noShowAt: number | null;
  voidAt: number | null;
  /** The language the client chose for their printed ticket (kiosk, or the booking's); reprints use it. Null: not known. */
  language: string | null;
}

export type UserRole = 'clerk' | 'supervisor' | 'admin';
export type DeviceKind = 'kiosk' | 'display';
