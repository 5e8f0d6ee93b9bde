import { pickText } from '../core/booking/availability.ts';
import type { BookingDeps, BookingFees } from '../core/booking/deps.ts';
import type { FeeData } from '../core/config/model.ts';
import type { ConfigStore } from '../core/config/ports.ts';
import { ordersInUnitOfWork, type FeeRuntime } from '../core/fees/settle.ts';
import type { Clock, Ids, QueueRuntime, QueueStore } from '../core/queue/ports.ts';
import type { BookingServerDeps, FeesServerDeps } from './deps.ts';

/** What fees need besides the booking edge: the provider's side, the office configuration (where fees are set), ids. */
export interface FeeParts {
  fees: FeesServerDeps;
  config: ConfigStore;
  ids: Ids;
}

/** A service's fee as the office configured it (`services[].online.fee`); null when free. */
export async function serviceFee(config: ConfigStore, store: QueueStore, serviceId: string): Promise<FeeData | null> {
  const service = await store.getService(serviceId);
  if (service === null) return null;
  const loaded = await config.load(service.officeId);
  return loaded?.config.services.find((s) => s.id === serviceId)?.online?.fee ?? null;
}

/**
 * The booking use cases' inputs inside a unit of work: the portal's routes, the office's changes
 * and the fee sweep all build them here, so a fee-paying service waits for its payment whichever
 * door the booking came through. No provider configured: every service is free.
 */
export function bookingCore(p: { clock: Clock; publicUrl: string; booking: BookingServerDeps; fees?: FeeParts | undefined }): (store: QueueStore) => BookingDeps {
  const b = p.booking;
  const f = p.fees;
  return (store) => {
    const fees: BookingFees | undefined = f === undefined ? undefined : { orders: f.fees.orders, ids: f.ids, feeOf: (serviceId) => serviceFee(f.config, store, serviceId) };
    return {
      store,
      bookings: b.store,
      clock: p.clock,
      secrets: b.secrets,
      keyed: b.keyed,
      publicUrl: p.publicUrl,
      checks: b.checks,
      ...(b.onConfirm === undefined ? {} : { onConfirm: b.onConfirm }),
      ...(fees === undefined ? {} : { fees }),
    };
  };
}

/** Fees end to end for the routes and the host's sweep: one description and return address per order, the booking's part in the unit of work. */
export function feeRuntime(p: { queue: QueueRuntime; clock: Clock; publicUrl: string; booking: BookingServerDeps } & FeeParts): FeeRuntime {
  const core = bookingCore({ ...p, fees: p });
  return {
    queue: p.queue,
    orders: ordersInUnitOfWork(p.fees.orders, p.queue),
    rawOrders: p.fees.orders,
    clock: p.clock,
    booking: core,
    ...(p.booking.onQueued === undefined ? {} : { onQueued: p.booking.onQueued }),
    execute: async (stored) => {
      // The same description on every call about an order (a retry under its key must send the same body).
      const description = await p.queue.read(async (store) => {
        const office = await store.getOffice(stored.officeId);
        const service = await store.getService(stored.serviceId);
        if (office === null || service === null) return 'Fee';
        return `${pickText(service.names, office.languages[0] ?? 'en', office)} — ${office.name}`.slice(0, 255);
      });
      return {
        payments: p.fees.payments,
        description,
        returnUrl: (no, attempt) => `${p.publicUrl}/api/v1/booking/fees/${no}/return?attempt=${attempt}`,
      };
    },
  };
}
