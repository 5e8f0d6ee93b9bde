import { expect, it } from 'vitest';
import type { DeviceRecord, UserRecord } from '../../core/access/access.ts';
import { MemoryPeopleStore } from '../../core/access/people.fake.ts';
import { addDevice, addUser, changeUser, renameDevice, resetPassword, revokeDevice, setUserDisabled, type PeopleStore } from '../../core/access/people.ts';
import type { Office } from '../../core/shared/model.ts';
import { SqlitePeopleStore } from '../../store/people.store.ts';
import { PgPeopleStore } from '../../store/postgres/people.store.ts';
import { testOffice } from '../helpers/office.ts';
import { eachStore } from './stores.ts';

/** The back office's users, devices and offices: each change made through the use cases, and its audit. */

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const user = (id: string, over: Partial<UserRecord> = {}): UserRecord => ({
  id, officeId: 'o1', username: id, displayName: `User ${id}`, role: 'clerk', passwordHash: `hash-${id}`, disabledAt: null, email: null,
  isInstallAdmin: false, mustChangePassword: false, createdAt: T0, ...over,
});
const device = (id: string): DeviceRecord => ({ id, officeId: 'o1', kind: 'kiosk', name: `Kiosk ${id}`, printer: 'agent', createdAt: T0, revokedAt: null, lastSeenAt: null });
const ctx = (store: PeopleStore, now = T0) => ({ store, by: { userId: 'u-admin', username: 'admin', via: 'api' as const }, now });

eachStore<PeopleStore>(
  {
    store: (o) => (o.dialect === 'sqlite' ? new SqlitePeopleStore(o.db) : new PgPeopleStore(o.db)),
    memory: () => new MemoryPeopleStore(),
  },
  (s) => {
    it("an office's users, oldest first; a taken user name is refused, and the audit has the creation without the password", async () => {
      expect(await addUser(ctx(s()), user('boris', { createdAt: T0 + 1 }))).toMatchObject({ ok: true });
      expect(await addUser(ctx(s()), user('anna'))).toMatchObject({ ok: true });
      expect(await addUser(ctx(s()), user('anna-2', { username: 'anna' }))).toMatchObject({ ok: false, error: { code: 'USERNAME_TAKEN' } });
      expect((await s().listUsers('o1')).map((u) => u.id)).toEqual(['anna', 'boris']);
      expect(await s().listUsers('o2')).toEqual([]);
      expect(await s().findUser('anna')).toEqual(user('anna'));
      const audit = await s().listAudit('o1', 10);
      expect(audit.map((a) => [a.entityId, a.action])).toEqual([
        ['anna', 'created'],
        ['boris', 'created'],
      ]);
      expect(audit[0]).toMatchObject({ userId: 'u-admin', username: 'admin', via: 'api', entity: 'user', at: T0, before: null });
      expect(JSON.stringify(audit)).not.toContain('hash-');
    });

    it('the last enabled admin of an office can be neither disabled nor demoted; with a second one, they can', async () => {
      await addUser(ctx(s()), user('ada', { role: 'admin' }));
      expect(await s().countEnabledAdmins('o1')).toBe(1);
      expect(await setUserDisabled(ctx(s()), { officeId: 'o1', userId: 'ada', disabled: true })).toMatchObject({ ok: false, error: { code: 'LAST_ADMIN' } });
      expect(await changeUser(ctx(s()), { officeId: 'o1', userId: 'ada', patch: { role: 'clerk' } })).toMatchObject({ ok: false, error: { code: 'LAST_ADMIN' } });
      await addUser(ctx(s()), user('bea', { role: 'admin' }));
      expect(await s().countEnabledAdmins('o1')).toBe(2);
      expect(await setUserDisabled(ctx(s(), T0 + 5), { officeId: 'o1', userId: 'ada', disabled: true })).toMatchObject({ ok: true, value: { disabledAt: T0 + 5 } });
      expect(await s().countEnabledAdmins('o1')).toBe(1);
      expect((await s().findUser('ada'))?.disabledAt).toBe(T0 + 5);
      expect((await s().listAudit('o1', 1))[0]).toMatchObject({ action: 'disabled', before: { disabledAt: null }, after: { disabledAt: T0 + 5 } });
    });

    it("a changed name, e-mail or role reads back; another office's user is not found; a reset password must be changed", async () => {
      await addUser(ctx(s()), user('anna'));
      expect(await changeUser(ctx(s()), { officeId: 'o1', userId: 'anna', patch: { displayName: 'Anna N.', email: 'anna@example.org', role: 'supervisor' } })).toMatchObject({ ok: true });
      expect(await s().findUser('anna')).toEqual(user('anna', { displayName: 'Anna N.', email: 'anna@example.org', role: 'supervisor' }));
      expect(await changeUser(ctx(s()), { officeId: 'o2', userId: 'anna', patch: { displayName: 'x' } })).toMatchObject({ ok: false, error: { code: 'USER_NOT_FOUND' } });
      expect(await resetPassword(ctx(s()), { officeId: 'o1', userId: 'anna', passwordHash: 'reset-hash' })).toMatchObject({ ok: true, value: { mustChangePassword: true } });
      expect(await s().findUser('anna')).toMatchObject({ passwordHash: 'reset-hash', mustChangePassword: true });
      expect(await s().updateUser('nobody', { displayName: 'x' }, { kind: 'none' }, null)).toBeNull();
      const actions = (await s().listAudit('o1', 10)).map((a) => a.action);
      expect(actions).toEqual(['password-reset', 'updated', 'created']);
    });

    it('a device is added, renamed and revoked once (a second revocation changes nothing); its audit pages back newest first', async () => {
      await addDevice(ctx(s()), device('k1'), 'tok-k1');
      expect(await renameDevice(ctx(s()), { officeId: 'o1', deviceId: 'k1', name: 'Hall kiosk' })).toMatchObject({ ok: true, value: { name: 'Hall kiosk' } });
      expect(await revokeDevice(ctx(s(), T0 + 1), { officeId: 'o1', deviceId: 'k1' })).toMatchObject({ ok: true, value: { revokedAt: T0 + 1 } });
      expect(await revokeDevice(ctx(s(), T0 + 2), { officeId: 'o1', deviceId: 'k1' })).toMatchObject({ ok: true, value: { revokedAt: T0 + 1 } });
      expect(await s().findDevice('k1')).toEqual({ ...device('k1'), name: 'Hall kiosk', revokedAt: T0 + 1 });
      expect(await renameDevice(ctx(s()), { officeId: 'o2', deviceId: 'k1', name: 'x' })).toMatchObject({ ok: false, error: { code: 'DEVICE_NOT_FOUND' } });
      expect(await s().updateDevice('nope', { name: 'x' }, { ...ctx(s()).by, officeId: 'o1', at: T0, entity: 'device', entityId: 'nope', action: 'updated', before: null, after: null })).toBeNull();
      const newest = await s().listAudit('o1', 2);
      expect(newest.map((a) => a.action)).toEqual(['revoked', 'updated']);
      expect((await s().listAudit('o1', 2, newest[1]!.id)).map((a) => a.action)).toEqual(['created']);
    });

    it('a new office is created once: its id taken, nothing is written', async () => {
      const office: Office = { ...testOffice({ id: 'o9' }).office };
      const audit = { ...ctx(s()).by, officeId: 'o9', at: T0, entity: 'office' as const, entityId: 'o9', action: 'created' as const, before: null, after: { name: office.name } };
      expect(await s().insertOffice(office, audit)).toBe(true);
      expect(await s().insertOffice({ ...office, name: 'Again' }, audit)).toBe(false);
      expect(await s().listAudit('o9', 10)).toHaveLength(1);
      await s().recordAudit({ ...audit, action: 'updated', after: { name: 'Renamed' } });
      expect((await s().listAudit('o9', 10)).map((a) => a.action)).toEqual(['updated', 'created']);
    });
  },
);
