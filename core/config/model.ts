import type { AlertSettings } from '../alerts/alerts.ts';
import type { AddressData, ContactData, Language, Localized, TicketLogoData } from '../shared/model.ts';

export type { AddressData, ContactData } from '../shared/model.ts';
import type { AllocationKind, ConfirmChannel, DayCapacityRule, ReleaseRule } from '../booking/model.ts';
import type { EligibilityRule, OutcomeDef } from '../rules/service-rules.ts';

/**
 * An office's whole configuration as the back office, the API and the office file see it
 * (contracts/office-config.ts is its zod schema and checks it matches these types). Times are
 * office-local `HH:MM`, days `YYYY-MM-DD`, durations minutes. The engine reads its own shapes
 * (core/shared/model.ts Office, Service, Counter; BookingPolicy): core/config/engine.ts maps.
 */

import type { ConfigSectionName } from './sections.ts';

export { CONFIG_SECTIONS, type ConfigSectionName } from './sections.ts';

export interface BreakData {
  from: string;
  to: string;
}
export interface DayHoursData {
  open: string;
  close: string;
  breaks: readonly BreakData[];
}
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeekHoursData = { readonly [K in Weekday]: DayHoursData | null };

export interface ClosedDayData {
  date: string;
  note?: Localized | undefined;
}
export interface ChangedDayData {
  date: string;
  hours: DayHoursData;
  note?: Localized | undefined;
  serviceIds?: readonly string[] | undefined;
}
export interface CalendarData {
  closedDays: readonly ClosedDayData[];
  changedDays: readonly ChangedDayData[];
}

export interface OfficeProfileData {
  names: Localized;
  timeZone: string;
  languages: readonly Language[];
  voiceLanguages: readonly Language[];
  address: AddressData | null;
  contact: ContactData | null;
}

export interface LogosData {
  screen: { mediaType: 'image/png' | 'image/jpeg' | 'image/webp'; data: string } | null;
  ticket: TicketLogoData | null;
}

export interface FairnessData {
  maxWaitMin: number;
  maxRecalls: number;
  defaultServiceMin: number;
  priorityCategories: readonly { id: string; weight: number; names: Localized }[];
  /** See OfficeSettings: absent = ratings on, no rating message. */
  ratings?: boolean | undefined;
  ratingMessage?: boolean | undefined;
}
/** The alert thresholds (see core/alerts/alerts.ts). */
export type AlertsData = AlertSettings;

export interface DepartmentData {
  id: string;
  names: Localized;
}

export interface OnlineBookingData {
  dayCapacity: DayCapacityRule;
  onlineSharePct: number;
  onlinePlaces: number | null;
  slotMin: number;
  placesPerSlot: number | null;
  horizonDays: number;
  earliestDays: number;
  release: ReleaseRule;
  allocation: AllocationKind;
  drawWindowMin: number;
  holdMin: number;
  confirmBy: readonly ConfirmChannel[];
  counterWeights: Readonly<Record<string, number>>;
  identityKey: { required: boolean; label: Localized } | null;
  /** A fee paid online before the booking counts; absent or null = free. */
  fee?: FeeData | null | undefined;
}

/** A service's fee: amount in minor units of `currency` (ISO 4217), paid within `deadlineMin` of the contact being confirmed. */
export interface FeeData {
  amount: number;
  currency: string;
  deadlineMin: number;
  /** The client's own cancellation of a paid booking (the seed office's rule: none), and the office's cancellation (always refunded; a booking the office moves keeps its paid fee). */
  refunds: { clientCancel: 'none' | 'full'; officeChange: 'refund' };
}

export interface ServiceRulesData {
  roster: boolean;
  outcomes: readonly OutcomeDef[];
  eligibility: readonly EligibilityRule[];
}

export interface ServiceData {
  id: string;
  departmentId: string;
  prefix: string;
  names: Localized;
  dailyWalkInCapacity: number;
  hours: WeekHoursData | null;
  online: OnlineBookingData | null;
  rules: ServiceRulesData;
}

export interface CounterData {
  id: string;
  number: string;
  name: Localized | null;
  departmentId: string | null;
  serviceIds: readonly string[];
}

export interface OfficeConfigData {
  id: string;
  office: OfficeProfileData;
  logos: LogosData;
  hours: WeekHoursData;
  calendar: CalendarData;
  fairness: FairnessData;
  alerts: AlertsData;
  departments: readonly DepartmentData[];
  services: readonly ServiceData[];
  counters: readonly CounterData[];
}

/** A change: sections replaced; list items upserted (object) or removed (null) by id; lists reordered. */
export interface ConfigPatchData {
  office?: OfficeProfileData | undefined;
  logos?: LogosData | undefined;
  hours?: WeekHoursData | undefined;
  calendar?: CalendarData | undefined;
  fairness?: FairnessData | undefined;
  alerts?: AlertsData | undefined;
  departments?: Readonly<Record<string, DepartmentData | null>> | undefined;
  services?: Readonly<Record<string, ServiceData | null>> | undefined;
  counters?: Readonly<Record<string, CounterData | null>> | undefined;
  order?: { departments?: readonly string[] | undefined; services?: readonly string[] | undefined; counters?: readonly string[] | undefined } | undefined;
}

export interface FieldChangeData {
  path: string;
  from: unknown;
  to: unknown;
}

export type ConfigVia = 'api' | 'file' | 'cli' | 'undo';

export interface AuditEntryData {
  id: number;
  officeId: string;
  at: number;
  userId: string | null;
  username: string | null;
  via: ConfigVia;
  undoOf: number | null;
  sections: ConfigSectionName[];
  changes: FieldChangeData[];
  before: ConfigPatchData;
  after: ConfigPatchData;
}
