import { describe, expect, it } from 'vitest';
import type { KeyedHash } from '../core/booking/model.ts';
import { identityHashes } from '../core/booking/applicant.ts';
import type { BookingDeps, HoldContext } from '../core/booking/deps.ts';
import type { QueueStore } from '../core/queue/ports.ts';
import { applyRoster, previewRoster, rosterCheck, type RosterEntry, type RosterStore } from '../core/rules/roster.ts';
import { nodeKeyed } from '../host/crypto.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from './helpers/fakes.ts';

/** A roster imported under one key keeps matching after the key rotates, and moves to the new key on the next import. */

class MemoryRoster implements RosterStore {
  readonly rows = new Map<string, RosterEntry>();
  async rosterEntries(): Promise<RosterEntry[]> {
    return [...this.rows.values()];
  }
  async rosterEntry(_serviceId: string, identity: readonly KeyedHash[]): Promise<RosterEntry | null> {
    return identity.map((h) => this.rows.get(h.hash)).find((e) => e !== undefined) ?? null;
  }
  async replaceRoster(_serviceId: string, put: readonly RosterEntry[], remove: readonly string[]): Promise<void> {
    for (const h of remove) this.rows.delete(h);
    for (const e of put) this.rows.set(e.identityHash, e);
  }
}

const A = Buffer.alloc(32, 1);
const B = Buffer.alloc(32, 2);
const CSV = 'document_number,name,phone\n530302199001011234,张三,+8613800001234\n';
const store = { getService: async (id: string) => ({ id, officeId: 'o1' }) } as unknown as QueueStore;

describe('roster and key rotation', () => {
  it('matches under a previous key, and a re-import re-keys the rows without calling them changed', async () => {
    const roster = new MemoryRoster();
    const clock = new FakeClock(MONDAY_0900_PRAGUE);
    const before = nodeKeyed({ current: A, previous: [] });
    expect((await applyRoster({ store, roster, keyed: before, clock }, 'o1', 's1', CSV)).ok).toBe(true);

    const after = nodeKeyed({ current: B, previous: [A] });
    const check = rosterCheck({ serviceRules: async () => ({ serviceId: 's1', roster: true, outcomes: [], eligibility: [] }) }, roster);
    const ctx = (phone: string) =>
      ({ service: { id: 's1' }, identity: identityHashes(after, '530302199001011234'), name: '张三', phone }) as unknown as HoldContext;
    const deps = { keyed: after } as unknown as BookingDeps;
    expect(await check(ctx('+8613800001234'), deps)).toEqual({ ok: true, value: undefined });
    expect(await check(ctx('+8613800009999'), deps)).toMatchObject({ ok: false, error: { code: 'ROSTER_PHONE_MISMATCH' } });

    expect(await previewRoster({ store, roster, keyed: after, clock }, 'o1', 's1', CSV)).toMatchObject({ ok: true, value: { unchanged: 1, added: [], changed: [], removed: [] } });
    const oldHash = [...roster.rows.keys()][0];
    await applyRoster({ store, roster, keyed: after, clock }, 'o1', 's1', CSV);
    expect([...roster.rows.keys()]).toEqual([identityHashes(after, '530302199001011234')[0]!.hash]);
    expect([...roster.rows.keys()]).not.toContain(oldHash);
    expect((await check(ctx('+8613800001234'), deps)).ok).toBe(true);
  });
});
