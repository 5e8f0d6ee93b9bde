import { FakePaymentProvider } from '../../core/fees/payment.fake.ts';
import { webhookReader } from '../../host/payments.ts';
import type { ServerDeps } from '../../server/deps.ts';
import type { Db } from '../../store/database.ts';
import { SqliteFeeLedger } from '../../store/fees/ledger.store.ts';
import { SqliteOrderStore } from '../../store/fees/orders.store.ts';

/** The payment routes for tests that sweep every route (no payment is ever made: the in-memory provider suffices). */
export const feesForSweeps = (db: Db): NonNullable<ServerDeps['fees']> => ({
  orders: new SqliteOrderStore(db),
  ledger: new SqliteFeeLedger(db),
  payments: new FakePaymentProvider(),
  ...webhookReader('whsec_sweeps'),
});
