import type { FastifyInstance } from 'fastify';
import type { Booking, BookingPolicy } from '../../core/booking/model.ts';
import type { BookingDeps } from '../../core/booking/deps.ts';
import type { Secrets } from '../../core/booking/ports.ts';
import { createBooking, type BookingRuntime, type BookingParts } from '../../host/booking.ts';
import { readBookingConfig } from '../../host/config.ts';
import { feeSweep } from '../../host/payments.ts';
import { feeRuntime } from '../../server/fee-runtime.ts';
import { nodeKeyed } from '../../host/crypto.ts';
import type { Stores } from '../../host/stores.ts';
import type { Db } from '../../store/database.ts';
import type { ServerDeps, WebhookServerDeps } from '../../server/deps.ts';
import type { FakeClock } from './fakes.ts';
import { startTestHost, type TestHost, type TestStore } from './harness.ts';

/** A fixed key: tests reproduce hashes and sealed values. */
export const TEST_KEY = Buffer.alloc(32, 7);
export const testKeyed = () => nodeKeyed({ current: TEST_KEY, previous: [] });

/**
 * Deterministic secrets that never repeat, for property tests on the real store. Every token handed
 * out is appended to `tokens`: a hold's key comes first, then its e-mail link's token.
 */
/** n in base 32 without I, L, O and U, as booking numbers are written: one number per n (replacing those letters made two n alike). */
function crockford(n: number): string {
  const digits = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let s = '';
  for (let x = n; x > 0; x = Math.floor(x / 32)) s = digits[x % 32]! + s;
  return s;
}

export function countingSecrets(): Secrets & { tokens: string[] } {
  let n = 0;
  const tokens: string[] = [];
  return {
    tokens,
    token: () => {
      const t = `tok${String(++n).padStart(40, '0')}`;
      tokens.push(t);
      return t;
    },
    digits: (k) => String(++n % 10 ** k).padStart(k, '0'),
    bookingNumber: () => crockford(++n).padStart(10, '0'),
    id: () => `id${++n}`,
  };
}

export function policy(serviceId: string, over: Partial<BookingPolicy> = {}): BookingPolicy {
  return {
    serviceId,
    dayCapacity: { kind: 'explicit', clients: 40 },
    onlineSharePct: 50,
    onlinePlaces: null,
    slotMin: 30,
    horizonDays: 30,
    earliestDays: 0,
    release: { kind: 'rolling', openAt: '00:00' },
    allocation: 'fcfs',
    drawWindowMin: 60,
    holdMin: 15,
    confirmBy: ['email', 'sms'],
    counterWeights: {},
    ...over,
  };
}

export interface BookingTestHost extends TestHost {
  booking: BookingRuntime;
}

/**
 * The test host with online booking: policies saved for the given services, real SMTP and SMPP
 * sinks on loopback (unless transports are given), fixed keys, the fake clock.
 */
export async function startBookingHost(
  opts: {
    /** SQLite or PostgreSQL (default: the harness's). */
    store?: TestStore;
    policies?: BookingPolicy[];
    parts?: Partial<BookingParts>;
    /** Settings written before the booking runtime starts (service rules, the office's booking switches). */
    configure?: (stores: Stores) => Promise<void>;
    printTimeoutMs?: number;
    /** Extra plugins (the built pages, for a browser test). */
    register?: (app: FastifyInstance) => Promise<void> | void;
    /** Alerts too (their monitor appends alerts:changed events: off unless a test sweeps every route). */
    alerts?: boolean;
    /** How often the alert monitor looks without an event (default a minute: tests that wait for the outbox's alerts shorten it). */
    alertIntervalMs?: number;
    /** Fees paid online. */
    fees?: (db: Db, stores: Stores) => NonNullable<ServerDeps['fees']>;
    /** Outgoing webhooks (see host/webhooks.ts). */
    webhooks?: (parts: { db: Db; stores: Stores; queue: Stores['queue']; clock: FakeClock }) => WebhookServerDeps;
  } = {},
): Promise<BookingTestHost> {
  let runtime: BookingRuntime | undefined;
  const h = await startTestHost({
    ...(opts.store === undefined ? {} : { store: opts.store }),
    ...(opts.printTimeoutMs === undefined ? {} : { printTimeoutMs: opts.printTimeoutMs }),
    ...(opts.register === undefined ? {} : { register: opts.register }),
    ratings: true,
    ...(opts.fees === undefined ? {} : { fees: opts.fees }),
    ...(opts.webhooks === undefined ? {} : { webhooks: opts.webhooks }),
    ...(opts.alerts === true ? { alerts: (_db: Db, stores: Stores) => ({ settings: stores.alertSettings, outbox: stores.outboxCounts, intervalMs: opts.alertIntervalMs ?? 60_000 }) } : {}),
    booking: async ({ stores, queue, clock, dir }) => {
      for (const p of opts.policies ?? [policy('o1-s1')]) await stores.seed.bookingPolicy(p);
      await opts.configure?.(stores);
      runtime = await createBooking({
        stores,
        queue,
        clock,
        config: readBookingConfig({}),
        dataDir: dir,
        publicUrl: 'http://fronta.test',
        keyed: testKeyed(),
        limits: { holdPerMin: 100_000, guessPerMin: 100_000, lookupPerMin: 100_000 },
        ...opts.parts,
      });
      return runtime.server;
    },
  });
  // Payment deadlines and reconciliation join the booking sweep, as on the host.
  if (opts.fees !== undefined) {
    const fees = opts.fees(h.db, h.stores);
    runtime!.addSweep(feeSweep(feeRuntime({ queue: h.queue, clock: h.clock, ids: h.ids, publicUrl: 'http://fronta.test', booking: runtime!.server, fees, config: h.stores.config })));
  }
  const close = h.close.bind(h);
  return Object.assign(h, {
    booking: runtime!,
    async close() {
      await runtime!.close();
      await close();
    },
  });
}

/**
 * Core booking deps on a test host's own store, keys and clock, with deterministic secrets: for
 * property tests that call the use cases directly inside the unit of work.
 */
export function coreBookingDeps(
  h: BookingTestHost,
  store: BookingDeps['store'],
  secrets: Secrets,
  rules: Pick<BookingDeps, 'checks'> & Partial<Pick<BookingDeps, 'onConfirm'>> = { checks: [] },
): BookingDeps {
  return { store, bookings: h.booking.store, clock: h.clock, secrets, keyed: h.booking.keyed, publicUrl: 'http://fronta.test', ...rules };
}

/**
 * A confirmed booking of o1-s1 on `day` at `startAt` (Prague, UTC+1 in November), written straight
 * to the store with its slot (the portal flow has its own tests). `key` makes number, hold key and
 * phone unique per booking.
 */
export async function insertConfirmedBooking(
  h: BookingTestHost,
  b: { key: number; day: string; startAt: number; number: string; kioskCode: string; phone?: string },
  over: Partial<Booking> = {},
): Promise<Booking> {
  const { key, day, startAt } = b;
  const local = new Date(startAt + 3600_000);
  const hhmm = `${String(local.getUTCHours()).padStart(2, '0')}${String(local.getUTCMinutes()).padStart(2, '0')}`;
  const slotId = `o1-s1~${day}~${hhmm}`;
  // Both dialects read this alike; the values are the test's own (no quotes in them).
  await h.sql(
    `INSERT INTO slots (id, service_id, day, start_min, start_at, places, taken) VALUES ('${slotId}', 'o1-s1', '${day}', ${local.getUTCHours() * 60 + local.getUTCMinutes()}, ${startAt}, 5, 1) ON CONFLICT DO NOTHING`,
  );
  const k = h.booking.keyed;
  const booking: Booking = {
    id: `bk${key}`,
    number: b.number,
    officeId: 'o1',
    serviceId: 'o1-s1',
    slotId,
    day,
    startAt,
    state: 'confirmed',
    language: 'cs',
    channel: 'sms',
    nameSealed: k.seal('JANA NOVÁKOVÁ'),
    emailSealed: null,
    phoneSealed: k.seal('+420601000123'),
    emailHash: null,
    phoneHash: k.hmac('contact:phone', b.phone ?? '+420601000123'),
    identityKeyId: null,
    identityHash: null,
    holdKeyHash: `hold${key}`,
    holdExpiresAt: startAt,
    holdExtended: false,
    kioskCode: b.kioskCode,
    cancelHash: null,
    createdAt: startAt - 86_400_000,
    confirmedAt: startAt - 86_400_000,
    expiredAt: null,
    cancelledAt: null,
    checkedInAt: null,
    ticketId: null,
    lapsedAt: null,
    noShowAt: null,
    sequence: 0,
    changeAcceptedAt: null,
    ...over,
  };
  await h.booking.store.insertBooking(booking);
  return booking;
}
