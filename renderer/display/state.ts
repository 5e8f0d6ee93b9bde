import type { z } from 'zod';
import type { ServicesResponse } from '../../contracts/api.ts';
import type { LoggedEvent } from '../../contracts/screens.ts';
import type { Lang } from '../shared/i18n.ts';
import type { PairingState } from '../shared/pairing.ts';

/** The newest call large, the eight before it below. */
export const HISTORY = 9;
/** Calls older than this (by the host's clock) are listed but not announced: caught up after an outage. */
export const ANNOUNCE_MAX_AGE_MS = 60_000;
/** Entries of the announcement log kept for assistive technology and tests. */
const LOG_MAX = 100;

export interface Call {
  /** Id of the `ticket:called` event; 0 for calls read from a snapshot. */
  eventId: number;
  /** Absent in lists saved by an older build: then number + counter identify the ticket. */
  ticketId?: string;
  number: string;
  counter: string;
  /** Times this ticket was called again; a recall moves its row to the top, it does not add one. */
  recalls: number;
  at: number;
}

export type AnnouncedHow = 'voice' | 'fallback' | 'muted' | 'skipped';

/** One line of the announcement log (`#announced`): what the voice did with a call. */
export interface Announced {
  eventId: number;
  text: string;
  how: AnnouncedHow;
  /** When it started: how many calls on screen were newer (0 = the newest); -1 for a skipped call. */
  behind: number;
}

export type Service = z.infer<typeof ServicesResponse>['services'][number];

export interface DisplayState {
  screen: 'starting' | 'pairing' | 'hall';
  pairing: PairingState;
  officeId: string;
  officeName: string;
  /** The office's screen logo as a data: URL (the CSP's img-src allows it), null when it has none. */
  logo: string | null;
  calls: Call[];
  services: Service[];
  closed: Set<string>;
  /** Host clock minus ours: "younger than 60 s" and the clock on screen follow the host. */
  skewMs: number;
  now: number;
  /** The office's voice languages (an office setting; `?voice=` overrides them). */
  voiceLanguages: Lang[];
  /** Event id of the call being announced (its row flashes). */
  announcing: number | null;
  /** False while the browser blocks sound (no autoplay permission, no tap yet). */
  canPlay: boolean;
  log: Announced[];
}

export const newState = (pairing: PairingState): DisplayState => ({
  screen: 'starting',
  pairing,
  officeId: '',
  officeName: '',
  logo: null,
  calls: [],
  services: [],
  closed: new Set(),
  skewMs: 0,
  now: Date.now(),
  voiceLanguages: [],
  announcing: null,
  canPlay: false,
  log: [],
});

const sameTicket = (a: Call, b: Call): boolean =>
  a.ticketId !== undefined && b.ticketId !== undefined ? a.ticketId === b.ticketId : a.number === b.number && a.counter === b.counter;

/**
 * A call joins the top of the list. A recall of a ticket still listed replaces its row (marked,
 * counted) instead of adding a second one.
 */
export function addCall(s: DisplayState, call: Call): Call {
  s.calls = [call, ...s.calls.filter((c) => !sameTicket(c, call))].slice(0, HISTORY);
  return call;
}

/** Applies one live event; answers the call to announce, if it is one that should be heard. */
export function applyEvent(s: DisplayState, e: LoggedEvent): Call | null {
  switch (e.type) {
    case 'ticket:called': {
      const p = e.payload;
      const call = addCall(s, { eventId: e.id, ticketId: p.ticket.id, number: p.ticket.number, counter: p.counterNumber, recalls: p.recall ? Math.max(1, p.ticket.recallCount) : 0, at: e.at });
      return Date.now() + s.skewMs - e.at < ANNOUNCE_MAX_AGE_MS ? call : null;
    }
    case 'queue:changed':
      for (const l of e.payload.services) {
        const svc = s.services.find((x) => x.id === l.serviceId);
        if (svc !== undefined) svc.waiting = l.waiting;
      }
      return null;
    case 'service:closed':
      s.closed.add(e.payload.serviceId);
      return null;
    case 'ticket:issued':
    case 'ticket:changed':
    case 'counter:changed':
    case 'printer:changed':
    case 'ticket:reprinted':
    case 'ticket:called-out-of-order':
    case 'booking:settings-changed':
    case 'alerts:changed':
    case 'ticket:rated':
    case 'config:changed':
    case 'booking:changed':
    case 'outbox:resent':
    case 'payment:changed': // staff only: a display is never sent it
      return null;
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function logAnnounced(s: DisplayState, entry: Announced): void {
  s.log = [...s.log, entry].slice(-LOG_MAX);
}

// ---------------------------------------------------------------- kept across reloads

const STORAGE_KEY = 'fronta.display';

interface Saved {
  officeId: string;
  lastEventId: number;
  calls: Call[];
}

export function save(s: DisplayState, lastEventId: number): void {
  const saved: Saved = { officeId: s.officeId, lastEventId, calls: s.calls };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
}

/** The list and last event id this display held before a reload, if it was of this office. */
export function restore(officeId: string): { lastEventId: number; calls: Call[] } | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Saved | null;
    if (s === null || s.officeId !== officeId || !Number.isSafeInteger(s.lastEventId) || !Array.isArray(s.calls)) return null;
    // Lists saved by the older build carry `recall: boolean` instead of a count.
    const calls = s.calls.slice(0, HISTORY).map((c: Partial<Call> & { recall?: boolean }): Call => {
      const { recall, ...rest } = c;
      return { ...(rest as Call), recalls: rest.recalls ?? (recall === true ? 1 : 0) };
    });
    return { lastEventId: s.lastEventId, calls };
  } catch {
    return null;
  }
}
