import type { FastifyInstance } from 'fastify';
import { SqliteAlertSettingsStore } from '../../store/alert-settings.store.ts';
import { outboxCounts } from '../../store/outbox-counts.ts';
import type { Booking, BookingPolicy } from '../../core/booking/model.ts';
import type { BookingDeps } from '../../core/booking/deps.ts';
import type { Secrets } from '../../core/booking/ports.ts';
import { createBooking, type BookingRuntime, type BookingParts } from '../../host/booking.ts';
import { readBookingConfig } from '../../host/config.ts';
import { nodeKeyed } from '../../host/crypto.ts';
import { saveBookingPolicy } from '../../store/booking/settings.store.ts';
import type { Db } from '../../store/database.ts';
import type { ServerDeps, WebhookServerDeps } from '../../server/deps.ts';
import type { GroupCommitUnitOfWork } from '../../store/unit-of-work.ts';
import type { FakeClock } from './fakes.ts';
import { startTestHost, type TestHost } from './harness.ts';

/** A fixed key: tests reproduce hashes and sealed values. */
export const TEST_KEY = Buffer.alloc(32, 7);
export const testKeyed = () => nodeKeyed({ current: TEST_KEY, previous: [] });

/**
 * Deterministic secrets that never repeat, for property tests on the real store. Every token handed
 * out is appended to `tokens`: a hold's key comes first, then its e-mail link's token.
 */
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
    bookingNumber: () => (++n).toString(32).toUpperCase().replace(/[ILOU]/g, 'X').padStart(10, '0'),
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
    policies?: BookingPolicy[];
    parts?: Partial<BookingParts>;
    configure?: (db: Db) => void;
    printTimeoutMs?: number;
    /** Extra plugins (the built pages, for a browser test). */
    register?: (app: FastifyInstance) => Promise<void> | void;
    /** Alerts too (their monitor appends alerts:changed events: off unless a test sweeps every route). */
    alerts?: boolean;
    /** Fees paid online. */
    fees?: (db: Db) => NonNullable<ServerDeps['fees']>;
    /** Outgoing webhooks (see host/webhooks.ts). */
    webhooks?: (parts: { db: Db; queue: GroupCommitUnitOfWork; clock: FakeClock }) => WebhookServerDeps;
  } = {},
): Promise<BookingTestHost> {
  let runtime: BookingRuntime | undefined;
  const h = await startTestHost({
    ...(opts.printTimeoutMs === undefined ? {} : { printTimeoutMs: opts.printTimeoutMs }),
    ...(opts.register === undefined ? {} : { register: opts.register }),
    ratings: true,
    ...(opts.fees === undefined ? {} : { fees: opts.fees }),
    ...(opts.webhooks === undefined ? {} : { webhooks: opts.webhooks }),
    ...(opts.alerts === true ? { alerts: (db: Db) => ({ settings: new SqliteAlertSettingsStore(db), outbox: outboxCounts(db), intervalMs: 60_000 }) } : {}),
    booking: async ({ db, queue, clock, dir }) => {
      for (const p of opts.policies ?? [policy('o1-s1')]) saveBookingPolicy(db, p);
      opts.configure?.(db);
      runtime = await createBooking({
        db,
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
  h.db
    .prepare('INSERT OR IGNORE INTO slots (id, service_id, day, start_min, start_at, places, taken) VALUES (?, ?, ?, ?, ?, 5, 1)')
    .run(slotId, 'o1-s1', day, local.getUTCHours() * 60 + local.getUTCMinutes(), startAt);
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
