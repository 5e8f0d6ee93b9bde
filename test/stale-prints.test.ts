import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { allocateForPrint } from '../core/queue/print-ticket.ts';
import { readConfig } from '../host/config.ts';
import { createHost } from '../host/host.ts';
import { STALE_PRINT_AFTER_MS } from '../host/stale-prints.ts';
import { randomIds } from '../host/system.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from './helpers/fakes.ts';
import { testOffice } from './helpers/office.ts';

/**
 * One host on its SQLite file: a ticket left `printing` when the host stopped is void once the
 * host starts again, before it serves; a print younger than the stale age is not (the periodic
 * pass takes it once it is old enough), and the number stays used.
 */

const data = mkdtempSync(join(tmpdir(), 'fronta-stale-prints-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));

const config = readConfig({ data, port: '0', 'log-level': 'silent' }, {});

it('the start pass voids a print older than the stale age, keeps its number used and gives its capacity back; a younger one stays printing', async () => {
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const first = await createHost(config, { clock });
  await first.stores.seed.officeConfig(testOffice({ capacity: 2 }));
  const allocate = () => first.queue.run((store) => allocateForPrint({ store, clock, ids: randomIds }, { serviceId: 'o1-s1' }));
  const old = await allocate();
  clock.advance(STALE_PRINT_AFTER_MS);
  const young = await allocate();
  expect(old.ok && young.ok).toBe(true);
  // Capacity 2: both printing tickets hold a place.
  expect((await allocate()).ok).toBe(false);
  await first.close();

  clock.advance(1000);
  const second = await createHost(config, { clock });
  try {
    const tickets = await second.queue.read(async (s) => [await s.getTicket(old.ok ? old.value.ticket.id : ''), await s.getTicket(young.ok ? young.value.ticket.id : '')]);
    expect(tickets.map((t) => [t?.number, t?.state])).toEqual([
      ['A001', 'void'],
      ['A002', 'printing'],
    ]);
    // The voided print gave its place back; its number is not reused.
    const next = await second.queue.run((store) => allocateForPrint({ store, clock, ids: randomIds }, { serviceId: 'o1-s1' }));
    expect(next.ok && next.value.ticket.number).toBe('A003');
  } finally {
    await second.close();
  }
});
