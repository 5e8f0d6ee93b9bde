import { describe, expect, it } from 'vitest';
import type { UserRecord } from './access.ts';
import { MemoryPeopleStore } from './people.fake.ts';
import { changeOwnPassword, changeUser, resetPassword, setUserDisabled } from './people.ts';
import { officeAccess } from './permissions.ts';

const user = (id: string, role: UserRecord['role'], officeId = 'o1'): UserRecord => ({
  id,
  officeId,
  username: id,
  displayName: id,
  role,
  passwordHash: `hash-of-${id}`,
  disabledAt: null,
  email: null,
  isInstallAdmin: false,
  mustChangePassword: false,
  createdAt: 0,
});

function office(): MemoryPeopleStore {
  const store = new MemoryPeopleStore();
  for (const u of [user('ada', 'admin'), user('cyril', 'clerk'), user('bob', 'admin', 'o2')]) store.users.set(u.id, u);
  store.sessions.set('s-ada', 'ada').set('s-cyril-1', 'cyril').set('s-cyril-2', 'cyril');
  return store;
}
const ctx = (store: MemoryPeopleStore, now = 1000) => ({ store, by: { userId: 'ada', username: 'ada', via: 'api' as const }, now });

describe('people of an office', () => {
  it('the last enabled admin is neither demoted nor disabled; another admin makes it possible', async () => {
    const store = office();
    expect(await changeUser(ctx(store), { officeId: 'o1', userId: 'ada', patch: { role: 'clerk' } })).toMatchObject({ ok: false, error: { code: 'LAST_ADMIN' } });
    expect(await setUserDisabled(ctx(store), { officeId: 'o1', userId: 'ada', disabled: true })).toMatchObject({ ok: false, error: { code: 'LAST_ADMIN' } });
    await changeUser(ctx(store), { officeId: 'o1', userId: 'cyril', patch: { role: 'admin' } });
    expect((await setUserDisabled(ctx(store), { officeId: 'o1', userId: 'ada', disabled: true })).ok).toBe(true);
  });

  it('a user of another office is not found, and nothing is written', async () => {
    const store = office();
    expect(await changeUser(ctx(store), { officeId: 'o1', userId: 'bob', patch: { displayName: 'X' } })).toMatchObject({ ok: false, error: { code: 'USER_NOT_FOUND' } });
    expect(store.audit).toEqual([]);
  });

  it('disabling and resetting end every session; one’s own new password keeps the session it was changed in', async () => {
    const store = office();
    await changeOwnPassword(ctx(store), { user: store.users.get('cyril')!, passwordHash: 'new', sessionTokenHash: 's-cyril-1' });
    expect([...store.sessions.keys()]).toEqual(['s-ada', 's-cyril-1']);
    await resetPassword(ctx(store), { officeId: 'o1', userId: 'cyril', passwordHash: 'reset' });
    expect(store.users.get('cyril')).toMatchObject({ mustChangePassword: true, passwordHash: 'reset' });
    expect([...store.sessions.keys()]).toEqual(['s-ada']);
  });

  it('the audit holds the changed fields only, before and after, and never a hash', async () => {
    const store = office();
    await changeUser(ctx(store, 5), { officeId: 'o1', userId: 'cyril', patch: { role: 'supervisor', displayName: 'cyril' } });
    await resetPassword(ctx(store, 6), { officeId: 'o1', userId: 'cyril', passwordHash: 'secret-hash' });
    expect(store.audit.map(({ action, before, after, at }) => ({ action, before, after, at }))).toEqual([
      { action: 'updated', before: { role: 'clerk' }, after: { role: 'supervisor' }, at: 5 },
      { action: 'password-reset', before: { mustChangePassword: false }, after: { mustChangePassword: true }, at: 6 },
    ]);
    expect(JSON.stringify(store.audit)).not.toContain('hash');
  });
});

describe('office access', () => {
  it('staff act on their own office by role, devices on their own office, install admins on every office', () => {
    const clerk = { kind: 'user' as const, officeId: 'o1', role: 'clerk' as const, isInstallAdmin: false };
    expect(officeAccess(clerk, 'o1')).toBe('ok');
    expect(officeAccess(clerk, 'o1', 'admin')).toBe('role');
    expect(officeAccess(clerk, 'o2')).toBe('other-office');
    expect(officeAccess({ kind: 'device', officeId: 'o1' }, 'o1')).toBe('ok');
    expect(officeAccess({ kind: 'device', officeId: 'o1' }, 'o1', 'clerk')).toBe('role');
    expect(officeAccess({ kind: 'device', officeId: 'o1' }, 'o2')).toBe('other-office');
    expect(officeAccess({ kind: 'user', officeId: 'o1', role: 'admin', isInstallAdmin: true }, 'o2', 'admin')).toBe('ok');
    // An install admin demoted from admin keeps no reach beyond their office.
    expect(officeAccess({ kind: 'user', officeId: 'o1', role: 'clerk', isInstallAdmin: true }, 'o2')).toBe('other-office');
  });
});
