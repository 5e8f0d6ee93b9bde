import type { z } from 'zod';
import type { AcceptChangePeekResponse } from '../../contracts/office-change.ts';
import type { OrderViewT } from '../../contracts/fees.ts';
import type { PublicOfficeT } from '../../contracts/office-public.ts';
import type { BookingServicesResponse, ConfirmPeekResponse, DaysResponse, OwnBookingT, SlotsResponse, StatusResponse } from '../../contracts/booking.ts';
import { currentLang } from '../shared/i18n.ts';
import type { Actions } from '../shared/ui.ts';

/**
 * The portal's state: which screen the citizen is on and what they typed. Views read it, actions
 * change it and call `update()`; the DOM is patched, so typed text and focus need no copies.
 */

export type Services = z.infer<typeof BookingServicesResponse>;
export type Service = Services['services'][number];
export type Day = z.infer<typeof DaysResponse>['days'][number];
export type Slot = z.infer<typeof SlotsResponse>['slots'][number];
export type Status = z.infer<typeof StatusResponse>;
export type Peek = z.infer<typeof ConfirmPeekResponse>;
export type Channel = 'email' | 'sms';

/** A message for the error summary: `fieldId` is where it sends the focus (a field, or the button to retry). */
export interface Problem {
  fieldId: string;
  message: string;
}

export type Part = 'morning' | 'afternoon';

export type Screen =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'services' }
  | { kind: 'days'; service: Service; days: Day[] }
  /** `notice`: why the citizen is back here (the time they picked was taken meanwhile). */
  | { kind: 'times'; service: Service; day: string; slots: Slot[]; part: Part | null; notice: string }
  | { kind: 'details'; service: Service; day: string; slot: Slot; problems: Problem[] }
  | { kind: 'hold'; holdKey: string; booking: OwnBookingT; problems: Problem[]; notice: string }
  | { kind: 'expired' }
  /** A rule cancelled the booking at confirmation (cancel-all of an identity key): the host's explanation. */
  | { kind: 'ruleCancelled'; message: string }
  | { kind: 'confirm'; token: string; peek: Peek; problems: Problem[] }
  | { kind: 'confirmed'; booking: OwnBookingT }
  /**
   * A fee-paying booking's order, always as the host last said (`?order=` in the address, so Back
   * and reload ask again): pay, the payment in progress, paid (the receipt), or the time ran out.
   * `holdKey` (this browser's) pays; `booking` is the booking the order pays for, once read.
   */
  | {
      kind: 'pay';
      orderNo: string;
      order: OrderViewT;
      holdKey: string | null;
      booking: OwnBookingT | null;
      timeZone: string | null;
      problems: Problem[];
      /** The last Pay found the payment service not answering: said in words, with the time still held and what to do. */
      isProviderDown?: boolean;
    }
  | { kind: 'cancel'; token: string; result: Status | null; problems: Problem[] }
  /** The office moved the booking (the office-change link): `was` is the old start the link carries. */
  | { kind: 'accept'; token: string; was: number | null; peek: z.infer<typeof AcceptChangePeekResponse>; problems: Problem[] }
  | { kind: 'lookup'; result: Status | null; problems: Problem[] }
  | { kind: 'privacy' };

export type ScreenOf<K extends Screen['kind']> = Extract<Screen, { kind: K }>;

/** The booking form's fields: the citizen's entries, kept while they go back to pick another time. */
export interface Contact {
  name: string;
  email: string;
  phone: string;
  identityKey: string;
  channel: Channel;
  code: string;
  number: string;
}

export interface PortalState {
  officeId: string;
  services: Services | null;
  /** The office's name, address, contact and data controller (footer, privacy page); null until read. */
  office: PublicOfficeT | null;
  /** The office's screen logo as a data: URL (shared/logo.ts), null when it has none. */
  logo: string | null;
  screen: Screen;
  contact: Contact;
  /** Wall-clock time of the last tick (the hold's countdown is drawn from it). */
  now: number;
  /** Text for the screen reader's polite live region. */
  announcement: string;
}

/** What actions and views share: the state, the redraw and the requests in flight. */
export interface Portal {
  state: PortalState;
  update: () => void;
  actions: Actions;
  /** The current screen's interval timers (cleared when the screen changes). */
  timers: number[];
}

/**
 * The query of an address of the portal's own: its office, and the language the page is shown in
 * (`?lang=` wins over the one this browser chose before, so a page opened from a message in
 * Czech stays Czech from link to link).
 */
export const portalQuery = (officeId: string, query: Record<string, string>): URLSearchParams =>
  new URLSearchParams({ office: officeId, lang: currentLang(), ...query });

export const HOLD_KEY = 'fronta.portal.hold';
export const OFFICE_KEY = 'fronta.portal.office';
export const WARN_BEFORE_MS = 2 * 60_000;
export const SLOTS_REFRESH_MS = 15_000;
export const HOLD_POLL_MS = 10_000;
/** How often a page of an order waiting for payment asks the host again (another window may be paying). */
export const ORDER_POLL_MS = 4_000;
/** Times before noon (office time) are the morning. */
export const NOON_MIN = 12 * 60;

export function newState(officeId: string): PortalState {
  return {
    officeId,
    services: null,
    office: null,
    logo: null,
    screen: { kind: 'loading' },
    contact: { name: '', email: '', phone: '', identityKey: '', channel: 'email', code: '', number: '' },
    now: Date.now(),
    announcement: '',
  };
}
