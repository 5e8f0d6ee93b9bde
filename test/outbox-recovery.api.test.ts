import { afterEach, describe, expect, it } from 'vitest';
import type { BackgroundWork } from '../host/background-work.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';

/**
 * A message left `sending` by a host that died is sent again — but only by the host that takes
 * the outbox's turn. A host without the turn must leave it alone: on several hosts the one that
 * claimed it may be sending it right now, and putting it back would send it twice.
 */

let h: BookingTestHost;
afterEach(async () => {
  await h.close();
});

const DAY = '2026-11-25';

describe('messages cut off mid-send', () => {
  it('are put back and sent once by the host that takes the outbox’s turn, never by another', async () => {
    let turn = false;
    const background: BackgroundWork = { mayRun: (task) => Promise.resolve(task !== 'outbox' || turn), close: () => Promise.resolve() };
    h = await startBookingHost({ parts: { background } });
    const slots = (await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` })).json().slots as { id: string }[];
    const held = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[0]!.id, name: 'Jana', email: 'jana@example.org', channel: 'email' } });
    expect(held.statusCode, held.body).toBe(201);
    // As if another host had claimed it and then died (or were still sending it).
    expect(h.db.prepare(`UPDATE outbox SET state = 'sending' WHERE state = 'pending'`).run().changes).toBe(1);
    const sink = h.booking.mailSink!;

    expect(await h.booking.worker.tick()).toBe(0);
    await h.booking.worker.idle();
    expect(h.db.prepare(`SELECT state FROM outbox`).all()).toEqual([{ state: 'sending' }]);
    expect(sink.messages.length).toBe(0);

    turn = true;
    expect(await h.booking.worker.tick()).toBe(1);
    await h.booking.worker.idle();
    expect(await h.booking.worker.tick()).toBe(0);
    await h.booking.worker.idle();
    expect(h.db.prepare(`SELECT state FROM outbox`).all()).toEqual([{ state: 'sent' }]);
    expect(sink.messages.length).toBe(1);
  });

  it('a worker on its own timer takes its turn, puts the message back and sends it (a pass never waits for itself)', async () => {
    h = await startBookingHost();
    const slots = (await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` })).json().slots as { id: string }[];
    const held = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[0]!.id, name: 'Jana', email: 'jana@example.org', channel: 'email' } });
    expect(held.statusCode, held.body).toBe(201);
    expect(h.db.prepare(`UPDATE outbox SET state = 'sending' WHERE state = 'pending'`).run().changes).toBe(1);
    const sink = h.booking.mailSink!;
    h.booking.worker.kick();
    await h.booking.worker.idle();
    h.booking.worker.kick();
    await h.booking.worker.idle();
    expect(h.db.prepare(`SELECT state FROM outbox`).all()).toEqual([{ state: 'sent' }]);
    expect(sink.messages.length).toBe(1);
  });
});
