import { afterEach, describe, expect, it } from 'vitest';
import type { BackgroundWork } from '../host/background-work.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';

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

/** As if another host had claimed the one pending message and then died (or were still sending it). */
async function cutOffMidSend(): Promise<void> {
  expect(await h.sql(`SELECT state FROM outbox`)).toEqual([{ state: 'pending' }]);
  await h.sql(`UPDATE outbox SET state = 'sending' WHERE state = 'pending'`);
  expect(await h.sql(`SELECT state FROM outbox`)).toEqual([{ state: 'sending' }]);
}

describe.each(BOTH_STORES)('messages cut off mid-send on %s', (store) => {
  it('are put back and sent once by the host that takes the outbox’s turn, never by another', async () => {
    let turn = false;
    const background: BackgroundWork = { mayRun: (task) => Promise.resolve(task !== 'outbox' || turn), close: () => Promise.resolve() };
    h = await startBookingHost({ store, parts: { background } });
    const slots = (await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` })).json().slots as { id: string }[];
    const held = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[0]!.id, name: 'Jana', email: 'jana@example.org', channel: 'email' } });
    expect(held.statusCode, held.body).toBe(201);
    await cutOffMidSend();
    const sink = h.booking.mailSink!;

    expect(await h.booking.worker.tick()).toBe(0);
    await h.booking.worker.idle();
    expect(await h.sql(`SELECT state FROM outbox`)).toEqual([{ state: 'sending' }]);
    expect(sink.messages.length).toBe(0);

    turn = true;
    expect(await h.booking.worker.tick()).toBe(1);
    await h.booking.worker.idle();
    expect(await h.booking.worker.tick()).toBe(0);
    await h.booking.worker.idle();
    expect(await h.sql(`SELECT state FROM outbox`)).toEqual([{ state: 'sent' }]);
    expect(sink.messages.length).toBe(1);
  });

  it('a worker on its own timer takes its turn, puts the message back and sends it (a pass never waits for itself)', async () => {
    h = await startBookingHost({ store });
    // Stopped while the message is made: the hold's own kick would otherwise race the cut-off
    // below (on PostgreSQL the worker claims and sends the message before the test can mark it).
    await h.booking.worker.stop();
    const slots = (await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` })).json().slots as { id: string }[];
    const held = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[0]!.id, name: 'Jana', email: 'jana@example.org', channel: 'email' } });
    expect(held.statusCode, held.body).toBe(201);
    await cutOffMidSend();
    const sink = h.booking.mailSink!;
    // Its first passes, as its timer starts them (the timer itself is too slow to wait for here).
    h.booking.worker.start(60_000);
    h.booking.worker.kick();
    await h.booking.worker.idle();
    h.booking.worker.kick();
    await h.booking.worker.idle();
    expect(await h.sql(`SELECT state FROM outbox`)).toEqual([{ state: 'sent' }]);
    expect(sink.messages.length).toBe(1);
  });
});
