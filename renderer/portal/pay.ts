import { OrderView } from '../../contracts/fees.ts';
import { api, ApiFailure } from '../shared/api.ts';
import type { Portal, ScreenOf } from './state.ts';
import { refreshOrder } from './timers.ts';
import { problemOf } from './validate.ts';

/**
 * Paying a booking's fee from the portal. The page never decides what happened: it shows the
 * order as the host answers it, so a second window, Back, or a reload on the way back from the
 * provider all land on the order's true state.
 */

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
      s.isProviderDown = false;
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
      // Not a mistake of the citizen's to correct: the page says what is delayed and that the time stays held.
      if (err instanceof ApiFailure && err.code === 'FEE_PROVIDER_UNAVAILABLE') {
        s.isProviderDown = true;
        s.problems = [];
        return void p.update();
      }
      s.isProviderDown = false;
      s.problems = [problemOf(err, 'pay-button')];
      p.update();
    },
  );
}
