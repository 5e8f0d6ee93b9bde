import { z } from 'zod';
import { QueueSnapshot, ServicesResponse } from '../../contracts/api.ts';
import { DisplaySettingsResponse } from '../../contracts/display.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { isLang, type Lang } from '../shared/i18n.ts';
import { readScreenLogo } from '../shared/logo.ts';
import { HISTORY, restore, save, type Call, type DisplayState } from './state.ts';

/**
 * What the display reads from the host over HTTP: who it is, its office, the services and their
 * counts, the voice languages, and where its list starts (its own saved list, or the calls
 * standing at the counters now). Live events then carry it forward (main.ts).
 */

const DeviceMe = z.object({ device: z.object({ id: z.string(), kind: z.string(), name: z.string(), officeId: z.string() }) });
const Offices = z.object({ offices: z.array(z.object({ id: z.string(), name: z.string(), languages: z.array(z.string()) })) });

/** The office of this display, or null when this browser is not paired as a display. Throws when the host cannot be reached. */
export async function pairedOffice(): Promise<string | null> {
  try {
    const me = await api('GET', '/auth/me', DeviceMe.or(z.object({ user: z.unknown() })));
    return 'device' in me && me.device.kind === 'display' ? me.device.officeId : null;
  } catch (e) {
    if (e instanceof ApiFailure && e.status >= 400 && e.status < 500) return null;
    throw e;
  }
}

/** Host clock minus ours, from the Date header (1 s resolution is plenty for "younger than a minute"). */
export async function hostSkewMs(): Promise<number> {
  const res = await fetch('/api/v1/offices', { method: 'HEAD', credentials: 'same-origin' }).catch(() => null);
  const date = res?.headers.get('date') ?? null;
  return date === null ? 0 : Date.parse(date) - Date.now();
}

/** The office's name and its languages (the first is the screen's default). */
export async function readOffice(s: DisplayState, officeId: string): Promise<Lang[]> {
  const office = (await api('GET', '/offices', Offices)).offices.find((o) => o.id === officeId);
  s.officeId = officeId;
  s.officeName = office?.name ?? '';
  return (office?.languages ?? []).filter(isLang);
}

/** The office's screen logo (none: null). */
export async function readLogo(s: DisplayState): Promise<void> {
  s.logo = await readScreenLogo(s.officeId);
}

export async function readServices(s: DisplayState): Promise<void> {
  const r = await api('GET', `/offices/${s.officeId}/services`, ServicesResponse);
  s.services = r.services;
  // The host's word, not a merge: a service reopened (a closed day taken back) shows open again.
  s.closed.clear();
  for (const svc of r.services) if (!svc.isOpen) s.closed.add(svc.id);
}

export async function readVoiceLanguages(officeId: string): Promise<Lang[]> {
  return (await api('GET', `/offices/${officeId}/display-settings`, DisplaySettingsResponse)).voiceLanguages;
}

/**
 * Where the list starts: the list this display held before a reload (the host then replays what
 * happened since), or — a new display — the tickets being called at this moment.
 */
export async function startingPoint(s: DisplayState): Promise<number> {
  const saved = restore(s.officeId);
  if (saved !== null) {
    s.calls = saved.calls;
    return saved.lastEventId;
  }
  const snap = await api('GET', `/offices/${s.officeId}/queue`, QueueSnapshot);
  s.calls = snap.counters
    .flatMap((c): Call[] => (c.ticket?.state === 'called' ? [{ eventId: 0, ticketId: c.ticket.id, number: c.ticket.number, counter: c.counter.number, recalls: 0, at: 0 }] : []))
    .slice(0, HISTORY);
  save(s, snap.lastEventId);
  return snap.lastEventId;
}
