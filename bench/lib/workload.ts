import type { CallCandidate } from '../../core/queue/call-policy.ts';
import type { Ticket } from '../../core/shared/model.ts';
import { newTicket } from '../../core/queue/ticket-state.ts';
import { prng } from './stats.ts';

/**
 * The waiting room the engine benchmarks use: N waiting tickets spread over the services, with
 * a realistic mix — most walk-ins without priority, some priority categories (weights 1 and 2),
 * a few booked arrivals (half of them due, half later), arrivals spread over the hour before
 * `now`. Deterministic (seeded).
 */
export interface WaitingSpec {
  serviceIndex: number;
  arrivedAt: number;
  bookedAt: number | null;
  /** 0, 1 (elderly) or 2 (disabled): the categories of test/helpers/office.ts. */
  priorityWeight: number;
}

export const CATEGORY_OF_WEIGHT: Readonly<Record<number, string | null>> = { 0: null, 1: 'elderly', 2: 'disabled' };

export function waitingRoom(n: number, services: number, now: number, seed = 20261123): WaitingSpec[] {
  const rnd = prng(seed);
  const specs: WaitingSpec[] = [];
  for (let i = 0; i < n; i++) {
    const arrivedAt = now - Math.floor(rnd() * 3_600_000);
    const p = rnd();
    const priorityWeight = p < 0.08 ? 2 : p < 0.2 ? 1 : 0;
    const b = rnd();
    // 5% booked: half due already (booked up to 20 min ago), half due within the next hour.
    const bookedAt = b < 0.025 ? now - Math.floor(rnd() * 1_200_000) : b < 0.05 ? now + Math.floor(rnd() * 3_600_000) : null;
    specs.push({ serviceIndex: Math.floor(rnd() * services), arrivedAt, bookedAt, priorityWeight });
  }
  return specs;
}

export function toCandidates(specs: readonly WaitingSpec[], serviceIds: readonly string[]): CallCandidate[] {
  return specs.map((s, i) => ({
    id: `t${String(i).padStart(6, '0')}`,
    serviceId: serviceIds[s.serviceIndex]!,
    arrivedAt: s.arrivedAt,
    bookedAt: s.bookedAt,
    priorityWeight: s.priorityWeight,
  }));
}

/** A waiting ticket as issueTicket would have stored it (numbering is the caller's). */
export function waitingTicket(
  spec: WaitingSpec,
  fields: { id: string; officeId: string; serviceId: string; prefix: string; seq: number; day: string },
): Ticket {
  return newTicket({
    ...fields,
    state: 'waiting',
    categoryId: CATEGORY_OF_WEIGHT[spec.priorityWeight] ?? null,
    priorityWeight: spec.priorityWeight,
    bookedAt: spec.bookedAt,
    now: spec.arrivedAt,
  });
}

/**
 * What `SqliteQueueStore.claimNext` hands the policy: per counter service, the head of the line
 * (oldest arrival), the head of the priority line (highest weight, then oldest) and the head of
 * the booked line (earliest booked time) — the same ORDER BYs as its three queries.
 */
export function lineHeads(candidates: readonly CallCandidate[], serviceIds: readonly string[]): CallCandidate[] {
  const heads: CallCandidate[] = [];
  const byId = (a: CallCandidate, b: CallCandidate): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const serviceId of serviceIds) {
    const line = candidates.filter((c) => c.serviceId === serviceId);
    const first = (xs: CallCandidate[], cmp: (a: CallCandidate, b: CallCandidate) => number): void => {
      const head = [...xs].sort(cmp)[0];
      if (head !== undefined) heads.push(head);
    };
    first(line, (a, b) => a.arrivedAt - b.arrivedAt || byId(a, b));
    first(
      line.filter((c) => c.priorityWeight > 0),
      (a, b) => b.priorityWeight - a.priorityWeight || a.arrivedAt - b.arrivedAt || byId(a, b),
    );
    first(
      line.filter((c) => c.bookedAt !== null),
      (a, b) => a.bookedAt! - b.bookedAt! || a.arrivedAt - b.arrivedAt || byId(a, b),
    );
  }
  return heads;
}
