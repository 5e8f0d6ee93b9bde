import { ServicesResponse } from '../../contracts/api.ts';
import { KioskInfoResponse, type LoggedEvent } from '../../contracts/kiosk.ts';
import { api } from '../shared/api.ts';
import { currentLang, setLang } from '../shared/i18n.ts';
import { isLogoChange, readScreenLogo } from '../shared/logo.ts';
import { defaultLang, isOutOfOrder, type Kiosk, type KioskState } from './state.ts';

/**
 * What the kiosk shows is re-read from the host on start and after every outage (a host restart
 * heals by itself); between those, live events keep waiting counts, closures and the printer
 * state current.
 */

export const KIOSK_EVENTS = ['queue:changed', 'service:closed', 'printer:changed', 'ticket:issued', 'ticket:changed', 'config:changed'] as const;

export async function loadAll(k: Kiosk, isLogoRead = false): Promise<void> {
  const info = await api('GET', '/kiosk', KioskInfoResponse);
  const isFirst = k.state.info === null;
  if (isFirst) {
    // The first screen speaks the office's language: switch before anything is drawn, and before
    // the services are read (department names come in the request's language).
    const first = defaultLang({ ...k.state, info });
    if (currentLang() !== first) await setLang(first, false);
  }
  const [services, logo] = await Promise.all([
    api('GET', `/offices/${encodeURIComponent(info.office.id)}/services`, ServicesResponse),
    // Only on start, after an outage and when the logos changed: the ticket bursts re-read the rest.
    isFirst || isLogoRead ? readScreenLogo(info.office.id).catch(() => k.state.logo) : k.state.logo,
  ]);
  k.state.logo = logo;
  k.state.info = info;
  k.state.services = services.services;
  k.state.departments = services.departments;
  k.live.seen(services.lastEventId);
  k.update();
}

/**
 * After an outage: re-read the truth. A host that has just restarted may not have its print
 * agent back yet, and the agent's printer:changed can land before this snapshot's answer, which
 * then says "out of order" for good; so while the snapshot says so, read again (bounded).
 */
export async function resyncAfterOutage(k: Kiosk, triesLeft = 10): Promise<void> {
  await loadAll(k, true);
  if (isOutOfOrder(k.state) && triesLeft > 0) {
    window.clearTimeout(k.timers.reload);
    k.timers.reload = window.setTimeout(() => void resyncAfterOutage(k, triesLeft - 1).catch(() => undefined), 2000);
  }
}

/** Several events in a burst (a busy morning) collapse into one re-read. */
export function reloadSoon(k: Kiosk): void {
  window.clearTimeout(k.timers.reload);
  k.timers.reload = window.setTimeout(() => void loadAll(k).catch(() => undefined), 300);
}

/** One live event into the state; answers true when the printer has just gone out of order. */
export function applyEvent(k: Kiosk, e: LoggedEvent): boolean {
  const s: KioskState = k.state;
  let wentOut = false;
  switch (e.type) {
    case 'queue:changed':
      for (const l of e.payload.services) {
        const service = s.services.find((x) => x.id === l.serviceId);
        if (service !== undefined) {
          service.waiting = l.waiting;
          service.estimatedWaitMin = l.estimatedWaitMin;
        }
      }
      break;
    case 'service:closed': {
      const service = s.services.find((x) => x.id === e.payload.serviceId);
      if (service !== undefined) service.isOpen = false;
      break;
    }
    case 'printer:changed':
      if (s.info !== null && e.payload.deviceId === s.info.device.id && s.info.printer !== null) {
        wentOut = !s.info.printer.isOutOfOrder && e.payload.isOutOfOrder;
        s.info.printer = { state: e.payload.state, isPaperNearEnd: e.payload.isPaperNearEnd, isOutOfOrder: e.payload.isOutOfOrder };
      }
      break;
    case 'ticket:issued':
    case 'ticket:changed':
      // Walk-in tickets left today changed (a void gives one back).
      reloadSoon(k);
      break;
    case 'ticket:called':
    case 'counter:changed':
    case 'ticket:reprinted':
      break;
    case 'config:changed':
      // The office changed what the kiosk shows (a service added or renamed, a day closed, the
      // hours): read it again at once, without the burst delay (nothing else is re-read then).
      if (e.payload.sections.some((x) => x !== 'alerts')) {
        window.clearTimeout(k.timers.reload);
        void loadAll(k, isLogoChange(e.payload.sections)).catch(() => reloadSoon(k));
      }
      break;
    case 'ticket:called-out-of-order':
    case 'booking:settings-changed':
    case 'alerts:changed':
    case 'ticket:rated':
    case 'outbox:resent':
      break;
    case 'booking:changed': // staff only: a kiosk is never sent them
    case 'payment:changed':
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  k.update();
  return wentOut;
}
