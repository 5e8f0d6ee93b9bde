import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../core/queue/ports.ts';
import { isLoopback } from './demo-guard.ts';

/**
 * A host clock that black-box tests move (FRONTA_FAKE_CLOCK): for end-to-end tests of rules that
 * depend on the time of day — a booked client checking in 16 minutes early, exactly on time, one
 * minute late — through a real `fronta serve`, its pages and its printers. It stands still until
 * told otherwise, so "booked time + 15:00" is exactly that and not a few milliseconds more.
 *
 * Never on in production: the clock and its route exist only when the variable is set, the route
 * answers only loopback callers, and the host logs a warning at start.
 */
export class SettableClock implements Clock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  set(at: number): void {
    this.#now = at;
  }
}

/** `FRONTA_FAKE_CLOCK`: an ISO 8601 instant with its offset (`2026-11-23T08:00:00+01:00`) or epoch milliseconds. */
export function parseFakeClock(value: string): number {
  const at = /^\d+$/.test(value) ? Number(value) : /(?:Z|[+-]\d{2}:\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isSafeInteger(at)) throw new Error(`FRONTA_FAKE_CLOCK: not an instant with an offset or epoch ms: ${value}`);
  return at;
}

const ClockBody = z.union([z.object({ at: z.number().int().nonnegative() }), z.object({ advanceMs: z.number().int() })]);

/** `GET /test/clock` → `{ now }`; `POST /test/clock` `{ at }` or `{ advanceMs }` → `{ now }`. Loopback only. */
export function testClockRoutes(app: FastifyInstance, clock: SettableClock): void {
  const refuse = (reply: FastifyReply) => reply.status(403).send({ error: { code: 'FORBIDDEN', message: 'the test clock answers loopback callers only' } });
  app.get('/test/clock', { schema: { hide: true } }, async (req, reply) => (isLoopback(req.ip) ? { now: clock.now() } : refuse(reply)));
  app.post('/test/clock', { schema: { hide: true } }, async (req, reply) => {
    if (!isLoopback(req.ip)) return refuse(reply);
    const body = ClockBody.safeParse(req.body);
    if (!body.success) return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: '{ at: epoch ms } or { advanceMs }' } });
    clock.set('at' in body.data ? body.data.at : clock.now() + body.data.advanceMs);
    return { now: clock.now() };
  });
}
