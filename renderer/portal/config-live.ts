import { DaysResponse } from '../../contracts/booking.ts';
import { PUBLIC_EVENT_TYPES } from '../../contracts/socket.ts';
import { api } from '../shared/api.ts';
import { LiveConnection } from '../shared/live.ts';
import { isLogoChange, readScreenLogo } from '../shared/logo.ts';
import { fetchSlots, loadServices } from './actions.ts';
import type { Portal } from './state.ts';

/**
 * The portal follows its office's configuration while it is open: when the office changes it (a
 * day closed, a service renamed or no longer booked online), the host says so on a public socket
 * and the page re-reads what the screen shows — the services, and the days or times of the
 * service being chosen, and the logo when that changed — so a citizen never picks a day the
 * office has just closed.
 */
export function followOfficeConfig(p: Portal): LiveConnection {
  const live = new LiveConnection({
    types: PUBLIC_EVENT_TYPES,
    publicOffice: p.state.officeId,
    // The portal shows no connection banner: it works over plain requests, the socket only refreshes.
    banner: null,
    apply: (e) => void reread(p, e.type === 'config:changed' && isLogoChange(e.payload.sections)).catch(() => undefined),
    resync: () => reread(p, true),
  });
  live.connect();
  return live;
}

/** The office's logo in the header; a failed read keeps the one shown. */
export async function readLogo(p: Portal): Promise<void> {
  p.state.logo = await readScreenLogo(p.state.officeId).catch(() => p.state.logo);
  p.update();
}

async function reread(p: Portal, isLogoRead: boolean): Promise<void> {
  await Promise.all([loadServices(p), isLogoRead ? readLogo(p) : undefined]);
  const s = p.state.screen;
  if (s.kind === 'days') {
    const r = await api('GET', `/booking/services/${encodeURIComponent(s.service.id)}/days`, DaysResponse);
    // The citizen may have moved on meanwhile: only the screen the answer belongs to is patched.
    if (p.state.screen === s) s.days = r.days;
  } else if (s.kind === 'times') {
    const slots = await fetchSlots(s.service, s.day);
    if (p.state.screen === s) s.slots = slots;
  }
  p.update();
}
