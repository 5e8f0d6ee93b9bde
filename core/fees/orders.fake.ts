import { isOpen, type Order } from './model.ts';
import type { OrderStore, StoredOrder } from './ports.ts';

/** The in-memory order store for core tests: the same contract as the SQLite one (test/contracts/order-store.contract.test.ts). */
export function fakeOrderStore(): OrderStore {
  const orders = new Map<string, StoredOrder>();
  const events = new Set<string>();
  const copy = (o: StoredOrder | undefined): StoredOrder | null => (o === undefined ? null : structuredClone(o));
  const refsOf = (order: Order): string[] => order.attempts.flatMap((a) => (a.providerRef === null ? [] : [a.providerRef]));
  return {
    create: async (o) => {
      if (orders.has(o.order.orderNo) || [...orders.values()].some((x) => x.bookingId === o.bookingId && x.seq === o.seq)) return false;
      orders.set(o.order.orderNo, { ...structuredClone(o), version: 1 });
      return true;
    },
    load: async (orderNo) => copy(orders.get(orderNo)),
    byBooking: async (bookingId) => copy([...orders.values()].filter((o) => o.bookingId === bookingId).sort((a, b) => b.seq - a.seq)[0]),
    byProviderRef: async (ref) => copy([...orders.values()].find((o) => refsOf(o.order).includes(ref))),
    commit: async (orderNo, expectedVersion, order) => {
      const cur = orders.get(orderNo);
      if (cur?.version !== expectedVersion) return false;
      // A provider payment belongs to one attempt of one order (the store's unique key).
      const taken = new Set([...orders.values()].filter((o) => o.order.orderNo !== orderNo).flatMap((o) => refsOf(o.order)));
      if (refsOf(order).some((r) => taken.has(r))) throw new Error('provider reference already belongs to another order');
      orders.set(orderNo, { ...cur, order: structuredClone(order), version: expectedVersion + 1 });
      return true;
    },
    listOpen: async (limit) =>
      [...orders.values()]
        .filter((o) => isOpen(o.order))
        .sort((a, b) => a.order.deadline - b.order.deadline)
        .slice(0, limit)
        .map((o) => structuredClone(o)),
    webhookSeen: async (id) => events.has(id),
    recordWebhookEvent: async (id) => {
      if (events.has(id)) return false;
      events.add(id);
      return true;
    },
  };
}
