import { createUser } from '../../server/provisioning.ts';
import { feesForSweeps } from './fees.ts';
import { PASSWORD, startTestHost, type TestHost, type TestStore } from './harness.ts';
import { testOffice } from './office.ts';

/**
 * A test host with every role signed in: `admin` and `clerk1` of office o1 (the harness's), `boss`
 * a supervisor of o1, and `admin2` the admin of a second office o2. `cookies` maps username → cookie.
 */
export async function startRolesHost(store?: TestStore): Promise<{ h: TestHost; cookies: Map<string, string> }> {
  // With the payment edge (in-memory provider): its office routes are in the matrix too.
  const h = await startTestHost({ fees: feesForSweeps, ...(store === undefined ? {} : { store }) });
  await h.stores.seed.officeConfig(testOffice({ id: 'o2' }));
  const access = h.stores.people;
  let n = 0;
  const deps = { clock: h.clock, ids: { ticketId: () => `t${++n}`, entityId: (p: string) => `${p}-x${++n}` } };
  await createUser(access, deps, { officeId: 'o2', username: 'admin2', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
  await createUser(access, deps, { officeId: 'o1', username: 'boss', password: PASSWORD, role: 'supervisor', passwordCostLog2: 10 });
  const cookies = new Map<string, string>();
  for (const u of ['admin', 'clerk1']) cookies.set(u, h.cookie(u));
  for (const username of ['admin2', 'boss']) {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    const set = res.cookies.find((c) => c.name === 'fronta_session');
    if (set === undefined) throw new Error(`login ${username}: ${res.body}`);
    cookies.set(username, `fronta_session=${set.value}`);
  }
  return { h, cookies };
}
