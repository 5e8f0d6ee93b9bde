import { AlertsResponse } from '../../contracts/alerts.ts';
import { BookingSettingsResponse } from '../../contracts/booking-settings.ts';
import { FloorSnapshot } from '../../contracts/screens.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { LiveConnection } from '../shared/live.ts';
import { fail, page, resetCrisisForm, state } from './state.ts';

/** The floor and the booking switches, read from the host. */
export async function load(): Promise<void> {
  const officeId = state.me!.officeId;
  state.floor = await api('GET', `/offices/${officeId}/floor`, FloorSnapshot);
  live.seen(state.floor.lastEventId);
  // A host without alerts configured has no such route: no panel then.
  state.alerts = (await api('GET', `/offices/${officeId}/alerts`, AlertsResponse).catch(() => null))?.alerts ?? [];
  const isFirst = state.booking === null;
  state.booking = await api('GET', `/booking/offices/${officeId}/settings`, BookingSettingsResponse).catch((e: unknown) => {
    // No online booking on this host: the route does not exist.
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  });
  if (isFirst) resetCrisisForm();
  page.update();
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;

/** A burst of events is one re-read. */
function reloadSoon(): void {
  if (reloadTimer !== null) return;
  reloadTimer = setTimeout(() => {
    reloadTimer = null;
    load().catch(fail);
  }, 250);
}

export const live = new LiveConnection({ apply: reloadSoon, resync: load });
