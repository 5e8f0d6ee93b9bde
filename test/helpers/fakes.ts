import type { Clock, Ids } from '../../core/queue/ports.ts';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Deterministic ids: readable in failures, unique per instance. */
export class SequentialIds implements Ids {
  private n = 0;
  ticketId(): string {
    return `t${String(++this.n).padStart(6, '0')}`;
  }
  entityId(prefix: string): string {
    return `${prefix}_${++this.n}`;
  }
}

/** Monday 23 Nov 2026, 09:00 in Prague (08:00 UTC). */
export const MONDAY_0900_PRAGUE = Date.UTC(2026, 10, 23, 8, 0, 0);
