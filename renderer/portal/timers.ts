import { api } from '../shared/api.ts';
import { OwnBooking } from '../../contracts/booking.ts';
import { OrderView, type OrderViewT } from '../../contracts/fees.ts';
import type { OwnBookingT } from '../../contracts/booking.ts';
import { HOLD_KEY, HOLD_POLL_MS, ORDER_POLL_MS, SLOTS_REFRESH_MS, type Portal, type Screen, type ScreenOf, type Service, type Slot } from './state.ts';

/** What the timers do when they fire: the actions' own functions, handed in (actions start the timers). */
export interface TimerActions {
  go: (p: Portal, next: Screen) => void;
  afterHold: (p: Portal, s: ScreenOf<'hold'>, booking: OwnBookingT) => void;
  fetchSlots: (service: Service, day: string) => Promise<Slot[]>;
}

/**
 * The screens that change while the citizen looks: the free times are re-read, the hold counts
 * down and asks the host whether its link was used elsewhere. Timers only change state and call
 * `update()`; the patch leaves typing and focus alone.
 */

export function startTimers(p: Portal, s: Screen, { go, afterHold, fetchSlots }: TimerActions): void {
  const running = p.timers;
  for (const id of running.splice(0)) window.clearInterval(id);
  if (s.kind === 'times') {
    running.push(
      window.setInterval(() => {
        fetchSlots(s.service, s.day).then((slots) => {
          if (p.state.screen !== s || JSON.stringify(slots) === JSON.stringify(s.slots)) return;
          s.slots = slots;
          p.update();
        }, () => undefined);
      }, SLOTS_REFRESH_MS),
    );
  }
  // An order waiting for payment: another window may be paying, the deadline may pass.
  if (s.kind === 'pay') {
    running.push(
      window.setInterval(() => {
        if (s.order.state === 'awaiting_payment') refreshOrder(p, s).catch(() => undefined);
      }, ORDER_POLL_MS),
    );
  }
  if (s.kind === 'hold') {
    const tick = (): void => {
      p.state.now = Date.now();
      if ((s.booking.holdExpiresAt ?? Infinity) <= p.state.now && p.state.screen === s) {
        sessionStorage.removeItem(HOLD_KEY);
        // Not from inside startTimers (the first tick): the new screen's timers must start last.
        queueMicrotask(() => go(p, { kind: 'expired' }));
        return;
      }
      p.update();
    };
    tick();
    running.push(window.setInterval(tick, 1000));
    running.push(
      window.setInterval(() => {
        api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).then((b) => {
          if (p.state.screen === s && b.state !== 'held') afterHold(p, s, b);
        }, () => undefined);
      }, HOLD_POLL_MS),
    );
  }
}

/** The order as the host says now; the page is redrawn only when something changed (the focus stays). */
export async function refreshOrder(p: Portal, s: ScreenOf<'pay'>, order?: OrderViewT): Promise<void> {
  const fresh = order ?? (await api('GET', `/booking/fees/${encodeURIComponent(s.orderNo)}`, OrderView));
  if (p.state.screen !== s || JSON.stringify(fresh) === JSON.stringify(s.order)) return;
  const wasPaid = s.order.state === 'paid';
  s.order = fresh;
  if (fresh.state === 'paid' && !wasPaid && s.holdKey !== null) s.booking = await api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).catch(() => s.booking);
  p.state.announcement = '';
  p.update();
}
