import { afterEach, expect, it } from 'vitest';
import type { AccessStore, DeviceRecord, UserRecord } from '../../core/access/access.ts';
import { setUserDisabled } from '../../core/access/people.ts';
import { openDatabase } from '../../store/database.ts';
import { SqlitePeopleStore } from '../../store/people.store.ts';
import { PgPeopleStore } from '../../store/postgres/people.store.ts';
import { eachStore } from './stores.ts';

/**
 * Signing in and the devices' tokens: who a session or a token belongs to, and when it stops
 * counting. `other` is the same database seen by another host (on SQLite: another connection to
 * the file, the command line's): what one writes, the other must honour at its next request.
 */

interface Subject {
  store: SqlitePeopleStore | PgPeopleStore;
  other: AccessStore;
}

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const HOUR = 3600_000;
const user = (id: string, over: Partial<UserRecord> = {}): UserRecord => ({
  id, officeId: 'o1', username: id, displayName: `User ${id}`, role: 'clerk', passwordHash: `hash-${id}`, disabledAt: null, email: null,
  isInstallAdmin: false, mustChangePassword: false, createdAt: T0, ...over,
});
const device = (id: string, over: Partial<DeviceRecord> = {}): DeviceRecord => ({
  id, officeId: 'o1', kind: 'kiosk', name: `Kiosk ${id}`, printer: 'agent', createdAt: T0, revokedAt: null, lastSeenAt: null, ...over,
});
const cli = { userId: null, username: null, via: 'cli' as const };

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

eachStore<Subject>(
  {
    store: (o) => {
      if (o.dialect === 'postgres') return { store: new PgPeopleStore(o.db), other: new PgPeopleStore(o.db) };
      const second = openDatabase(o.db.name);
      closers.push(() => second.close());
      return { store: new SqlitePeopleStore(o.db), other: new SqlitePeopleStore(second) };
    },
  },
  (s) => {
    it('a user is found by name and by id; a second user with a taken name is refused and nothing changes', async () => {
      expect(await s().store.createUser(user('anna', { email: 'anna@example.org', isInstallAdmin: true, mustChangePassword: true }))).toBe(true);
      expect(await s().store.createUser(user('anna2', { username: 'anna', displayName: 'Impostor' }))).toBe(false);
      const anna = user('anna', { email: 'anna@example.org', isInstallAdmin: true, mustChangePassword: true });
      expect(await s().store.userByUsername('anna')).toEqual(anna);
      expect(await s().other.userById('anna')).toEqual(anna);
      expect(await s().store.userById('anna2')).toBeNull();
      expect(await s().store.userByUsername('nobody')).toBeNull();
    });

    it('a session counts until it expires or its user signs out; expired ones are swept at the next sign-in', async () => {
      await s().store.createUser(user('anna'));
      await s().store.createSession('tok-1', 'anna', T0, T0 + HOUR);
      expect((await s().other.sessionUser('tok-1', T0 + 1))?.id).toBe('anna');
      expect(await s().store.sessionUser('tok-1', T0 + HOUR)).toBeNull();
      await s().store.createSession('tok-2', 'anna', T0 + 2 * HOUR, T0 + 3 * HOUR);
      expect(await s().store.sessionUser('tok-1', T0)).toBeNull();
      expect((await s().store.sessionUser('tok-2', T0 + 2 * HOUR))?.id).toBe('anna');
      await s().store.deleteSession('tok-2');
      expect(await s().other.sessionUser('tok-2', T0 + 2 * HOUR)).toBeNull();
      expect(await s().store.sessionUser('no-such-token', T0)).toBeNull();
    });

    it('a disabled user is refused at once, on every host, and enabling gives no session back', async () => {
      await s().store.createUser(user('admin', { role: 'admin' }));
      await s().store.createUser(user('anna'));
      await s().store.createSession('tok-a', 'anna', T0, T0 + HOUR);
      expect((await s().other.sessionUser('tok-a', T0 + 1))?.id).toBe('anna');
      const ctx = { store: s().store, by: cli, now: T0 + 2 };
      expect(await setUserDisabled(ctx, { officeId: 'o1', userId: 'anna', disabled: true })).toMatchObject({ ok: true, value: { disabledAt: T0 + 2 } });
      expect(await s().other.sessionUser('tok-a', T0 + 3)).toBeNull();
      expect(await s().store.sessionUser('tok-a', T0 + 3)).toBeNull();
      await setUserDisabled({ ...ctx, now: T0 + 4 }, { officeId: 'o1', userId: 'anna', disabled: false });
      expect(await s().other.sessionUser('tok-a', T0 + 5)).toBeNull();
      expect((await s().other.userById('anna'))?.disabledAt).toBeNull();
    });

    it('a new password replaces the old one', async () => {
      await s().store.createUser(user('anna'));
      expect(await s().store.setPassword('anna', 'new-hash')).toBe(true);
      expect((await s().other.userByUsername('anna'))?.passwordHash).toBe('new-hash');
      expect(await s().store.setPassword('nobody', 'x')).toBe(false);
    });

    it("a device's token opens until the device is revoked, then on no host; revoking twice reports nothing new", async () => {
      await s().store.createDevice(device('k1'), 'dev-tok-1');
      expect(await s().other.deviceByTokenHash('dev-tok-1')).toEqual(device('k1'));
      expect(await s().store.deviceByTokenHash('dev-tok-1')).toEqual(device('k1'));
      expect(await s().store.revokeDevice('k1', T0 + 1)).toBe(true);
      expect(await s().other.deviceByTokenHash('dev-tok-1')).toBeNull();
      expect(await s().store.deviceByTokenHash('dev-tok-1')).toBeNull();
      expect(await s().store.revokeDevice('k1', T0 + 2)).toBe(false);
      expect(await s().store.listDevices('o1')).toEqual([device('k1', { revokedAt: T0 + 1 })]);
    });

    it("an office's devices in the order they were made; a sighting is written at most once a minute", async () => {
      await s().store.createDevice(device('k-b', { createdAt: T0 + 1, kind: 'display', printer: 'none' }), 't2');
      await s().store.createDevice(device('k-a', { createdAt: T0 + 2 }), 't1');
      await s().store.createDevice(device('k-c', { officeId: 'o1', createdAt: T0 }), 't3');
      expect((await s().store.listDevices('o1')).map((d) => d.id)).toEqual(['k-c', 'k-b', 'k-a']);
      expect(await s().store.listDevices('o2')).toEqual([]);
      await s().store.deviceSeen('k-a', T0 + 10_000);
      await s().store.deviceSeen('k-a', T0 + 20_000);
      expect((await s().other.listDevices('o1')).find((d) => d.id === 'k-a')?.lastSeenAt).toBe(T0 + 10_000);
      await s().store.deviceSeen('k-a', T0 + 80_000);
      expect((await s().other.listDevices('o1')).find((d) => d.id === 'k-a')?.lastSeenAt).toBe(T0 + 80_000);
    });
  },
);
