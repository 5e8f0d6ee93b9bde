import { OwnBooking } from '../../contracts/booking.ts';
import { OrderView } from '../../contracts/fees.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { go } from './actions.ts';
import { HOLD_KEY, type Portal, type ScreenOf } from './state.ts';
import { refreshOrder } from './timers.ts';
import { problemOf } from './validate.ts';

/**
 * Paying a booking's fee from the portal. The page never decides what happened: it shows the
 * order as the host answers it, so a second window, Back, or a reload on the way back from the
 * provider all land on the order's true state.
 */

const enc = encodeURIComponent;

/** The order's page in the address bar: a reload or Back returns here and asks the host again. */
function remember(p: Portal, orderNo: string, attempt: number | null): void {
  const q = new URLSearchParams({ office: p.state.officeId, order: orderNo });
  if (attempt !== null) q.set('attempt', String(attempt));
  history.replaceState(null, '', `?${q.toString()}`);
}

/**
 * Shows an order. Coming back from the provider (`attempt`), the host first asks the provider how
 * that payment stands; either way the answer is the order as it is now.
 */
export async function showOrder(p: Portal, orderNo: string, attempt: number | null, isFocusMoved = true): Promise<void> {
  const order = attempt === null ? await api('GET', `/booking/fees/${enc(orderNo)}`, OrderView) : await api('GET', `/booking/fees/${enc(orderNo)}/return?attempt=${attempt}`, OrderView);
  const holdKey = sessionStorage.getItem(HOLD_KEY);
  const booking = holdKey === null ? null : await api('GET', `/booking/holds/${holdKey}`, OwnBooking).catch(() => null);
  remember(p, orderNo, attempt);
  go(p, { kind: 'pay', orderNo, order, holdKey, booking, timeZone: booking?.timeZone ?? p.state.services?.timeZone ?? null, problems: [] }, isFocusMoved);
}

/**
 * Pay: one payment however often it is pressed (the button is inert while the request is out, and
 * the host answers a payment already in progress with that same payment), then the provider's page.
 */
export function payNow(p: Portal, s: ScreenOf<'pay'>): void {
  const key = s.holdKey;
  if (key === null) return;
  p.actions.run(
    'pay',
    async () => {
      const order = await api('POST', `/booking/holds/${key}/pay`, OrderView);
      if (order.state === 'awaiting_payment' && order.nextUrl !== null) {
        location.assign(order.nextUrl);
        // Stays inert until the provider's page has replaced this one.
        await new Promise(() => undefined);
      }
      await refreshOrder(p, s, order);
    },
    (err) => {
      if (err instanceof ApiFailure && (err.code === 'FEE_DEADLINE_PASSED' || err.code === 'FEE_NOT_PAYABLE')) return void refreshOrder(p, s).catch(() => undefined);
      if (p.state.screen !== s) return;
      s.problems = [problemOf(err, 'pay-button')];
      p.update();
    },
  );
}
