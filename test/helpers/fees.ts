import { FakePaymentProvider } from '../../core/fees/payment.fake.ts';
import { webhookReader } from '../../host/payments.ts';
import type { ServerDeps } from '../../server/deps.ts';
import type { Db } from '../../store/database.ts';
import type { Stores } from '../../host/stores.ts';

/** The payment routes for tests that sweep every route (no payment is ever made: the in-memory provider suffices). */
export const feesForSweeps = (_db: Db, stores: Stores): NonNullable<ServerDeps['fees']> => ({
  orders: stores.orders,
  ledger: stores.ledger,
  payments: new FakePaymentProvider(),
  ...webhookReader('whsec_sweeps'),
});
