import { expect, it } from 'vitest';
import type { RosterEntry, RosterStore } from '../../core/rules/roster.ts';
import { PgRosterStore } from '../../store/postgres/roster.store.ts';
import { SqliteRosterStore } from '../../store/roster.store.ts';
import { eachStore } from './stores.ts';

/** A roster-gated service's list of people: imported, found by a person's document (under any key), re-imported. */

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const entry = (name: string, keyId = 'k1'): RosterEntry => ({ identityKeyId: keyId, identityHash: `h-${name}-${keyId}`, nameSealed: `sealed ${name}`, phoneSealed: `sealed +420 ${name}` });

eachStore<RosterStore>({ store: (o) => (o.dialect === 'sqlite' ? new SqliteRosterStore(o.db) : new PgRosterStore(o.db)) }, (s) => {
  it("an import puts people on the service's roster, in import order; other services' rosters stay empty", async () => {
    expect(await s().rosterEntries('o1-s1')).toEqual([]);
    await s().replaceRoster('o1-s1', [entry('anna')], [], T0);
    await s().replaceRoster('o1-s1', [entry('boris')], [], T0 + 1);
    expect(await s().rosterEntries('o1-s1')).toEqual([entry('anna'), entry('boris')]);
    expect(await s().rosterEntries('o1-s2')).toEqual([]);
  });

  it('a person is found by any of their identity hashes, the current key first; someone not on the roster is not', async () => {
    await s().replaceRoster('o1-s1', [entry('anna', 'k0'), entry('boris')], [], T0);
    const anna = [{ keyId: 'k1', hash: 'h-anna-k1' }, { keyId: 'k0', hash: 'h-anna-k0' }];
    expect(await s().rosterEntry('o1-s1', anna)).toEqual(entry('anna', 'k0'));
    expect(await s().rosterEntry('o1-s2', anna)).toBeNull();
    expect(await s().rosterEntry('o1-s1', [{ keyId: 'k1', hash: 'h-carla-k1' }])).toBeNull();
  });

  it('a re-import removes who left, re-keys who stayed and updates their details', async () => {
    await s().replaceRoster('o1-s1', [entry('anna', 'k0'), entry('boris', 'k0')], [], T0);
    const anna = { ...entry('anna', 'k1'), phoneSealed: 'sealed new phone' };
    await s().replaceRoster('o1-s1', [anna], ['h-anna-k0', 'h-boris-k0'], T0 + 1);
    expect(await s().rosterEntries('o1-s1')).toEqual([anna]);
    expect(await s().rosterEntry('o1-s1', [{ keyId: 'k0', hash: 'h-boris-k0' }])).toBeNull();
  });
});
