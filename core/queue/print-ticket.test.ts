import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../../test/helpers/harness.ts';
import { allocateForPrint, checkReprintable, confirmPrinted, voidPrint, voidStalePrints, withdrawUnprinted } from './print-ticket.ts';
import { printerRefusal, PRINTER_STATES } from './printer.ts';

let h: TestHost;
beforeEach(async () => {
  h = await startTestHost();
  // Ids compare as strings where times tie (pt10 < pt9): every test counts from 1.
  n = 0;
});
afterEach(async () => {
  await h.close();
});

const deps = () => ({ clock: h.clock, ids: { ticketId: () => `pt${++n}`, entityId: (p: string) => `${p}${++n}` } });
let n = 0;
const events = () => (h.db.prepare('SELECT type FROM events ORDER BY id').pluck().all() as string[]);

describe('issue-and-print, the pure steps on the real store', () => {
  it('allocates a number as printing with no public event, and only confirmPrinted puts it in the queue', async () => {
    const allocated = await h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s1' }));
    expect(allocated.ok && allocated.value.ticket).toMatchObject({ number: 'A001', state: 'printing', waitingAt: null });
    expect(events()).toEqual([]);
    expect(await h.queue.read((s) => s.waitingTickets('o1'))).toEqual([]);
    const id = allocated.ok ? allocated.value.ticket.id : '';
    const confirmed = await h.queue.run((store) => confirmPrinted({ store, ...deps() }, id));
    expect(confirmed.ok && confirmed.value.state).toBe('waiting');
    expect(events()).toEqual(['ticket:issued', 'queue:changed']);
    // Twice is a state error, not a second queue entry.
    expect(await h.queue.run((store) => confirmPrinted({ store, ...deps() }, id))).toEqual({ ok: false, error: { code: 'TICKET_STATE_INVALID' } });
    expect((await h.queue.read((s) => s.waitingTickets('o1'))).map((t) => t.number)).toEqual(['A001']);
  });

  it('voids a failed print with its reason, gives the capacity back, and never reuses the number', async () => {
    h.db.prepare('UPDATE services SET daily_walk_in_capacity = 1').run();
    const first = await h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s1' }));
    const id = first.ok ? first.value.ticket.id : '';
    expect(await h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s1' }))).toMatchObject({ ok: false, error: { code: 'CAPACITY_EXHAUSTED' } });
    const voided = await h.queue.run((store) => voidPrint({ store, ...deps() }, id, 'paper_end after the job'));
    expect(voided.ok && voided.value.state).toBe('void');
    expect(checkReprintable(voided.ok ? voided.value : null)).toEqual({ ok: false, error: { code: 'TICKET_STATE_INVALID' } });
    const again = await h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s1' }));
    expect(again.ok && again.value.ticket.number).toBe('A002');
    const payload = JSON.parse(h.db.prepare(`SELECT payload FROM events WHERE type = 'ticket:changed'`).pluck().get() as string);
    expect(payload).toMatchObject({ previous: 'printing', reason: 'paper_end after the job', ticket: { number: 'A001', state: 'void' } });
  });

  it('a print of which nothing was sent gives its number and capacity back; after a later number it is voided instead', async () => {
    h.db.prepare('UPDATE services SET daily_walk_in_capacity = 2').run();
    const allocate = () => h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s1' }));
    const idOf = (r: Awaited<ReturnType<typeof allocate>>): string => (r.ok ? r.value.ticket.id : '');
    const first = idOf(await allocate());
    const second = idOf(await allocate());
    const withdrawn = await h.queue.run((store) => withdrawUnprinted({ store, ...deps() }, second, 'unsent: paper end'));
    expect(withdrawn.ok && withdrawn.value.number).toBe('A002');
    expect(h.db.prepare('SELECT number FROM tickets').pluck().all()).toEqual(['A001']);
    // The number and the walk-in are free again: the next ticket is A002, within capacity 2.
    const again = await allocate();
    expect(again.ok && again.value.ticket.number).toBe('A002');
    // A001 is no longer the last number: given back it would leave a gap, so it is void.
    const voided = await h.queue.run((store) => withdrawUnprinted({ store, ...deps() }, first, 'unsent: paper end'));
    expect(voided.ok && voided.value).toMatchObject({ number: 'A001', state: 'void' });
    expect(events()).toEqual(['ticket:changed']);
    // A rolled-back unit of work takes the given-back number with it.
    const third = idOf(await allocate());
    await expect(
      h.queue.run(async (store) => {
        await withdrawUnprinted({ store, ...deps() }, third, 'unsent');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await allocate()).ok ? 'allocated' : 'refused').toBe('refused'); // capacity 2: A002 and A003 still count
    expect(h.db.prepare('SELECT number, state FROM tickets ORDER BY seq').all()).toEqual([
      { number: 'A001', state: 'void' },
      { number: 'A002', state: 'printing' },
      { number: 'A003', state: 'printing' },
    ]);
  });

  it('voids the tickets printing longer than the stale age, and leaves younger ones to the host printing them', async () => {
    for (let i = 0; i < 2; i++) await h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s2' }));
    h.clock.advance(20_000);
    await h.queue.run((store) => allocateForPrint({ store, ...deps() }, { serviceId: 'o1-s2' }));
    h.clock.advance(1_000);
    const swept = await h.queue.run((store) => voidStalePrints({ store, ...deps() }, 'o1', 16_000));
    expect(swept.ok && swept.value.map((t) => t.number)).toEqual(['B001', 'B002']);
    expect((await h.queue.read((s) => s.printingTickets('o1'))).map((t) => t.number)).toEqual(['B003']);
    h.clock.advance(15_000);
    const later = await h.queue.run((store) => voidStalePrints({ store, ...deps() }, 'o1', 16_000));
    expect(later.ok && later.value.map((t) => t.number)).toEqual(['B003']);
  });

  it('refuses for every printer state that cannot print, with the code the client is told', () => {
    const codes = Object.fromEntries(PRINTER_STATES.map((s) => [s, printerRefusal(s)]));
    expect(codes).toEqual({
      ok: null,
      near_end: null,
      paper_end: 'PRINTER_OUT_OF_PAPER',
      cover_open: 'PRINTER_COVER_OPEN',
      offline: 'PRINTER_OUT_OF_ORDER',
      no_answer: 'PRINTER_OUT_OF_ORDER',
      disconnected: 'PRINTER_OUT_OF_ORDER',
      no_agent: 'PRINTER_OUT_OF_ORDER',
    });
  });
});
