import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { changeConfig, undoChange, type ChangeInput } from '../../core/config/change.ts';
import type { ConfigPatchData, OfficeConfigData, OnlineBookingData } from '../../core/config/model.ts';
import { MemoryConfigStore, type ConfigStore } from '../../core/config/ports.ts';
import { ok } from '../../core/shared/result.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase } from '../../store/database.ts';
import { SqliteConfigStore } from '../../store/office-config.store.ts';
import { PgConfigStore } from '../../store/postgres/config.store.ts';
import { testOffice } from '../helpers/office.ts';
import { eachStore } from './stores.ts';

/**
 * The office configuration through its use case (changeConfig, undoChange): what an admin saves
 * reads back, every change is audited and can be undone, a change made against an older version
 * is applied again to what is there now, and what is live (a client at a counter) is not removed.
 */

interface Subject {
  config: ConfigStore;
  /** A second host's store on the same database (the fake: the same store). */
  other: ConfigStore;
  /** Office o2 exists too (its ids are taken). */
  anotherOffice(): Promise<void>;
  /** A client called to counter `counterId` (its ticket live), or gone again. */
  clientAt(counterId: string | null): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** Offices as the adapters load them from testOffice(): the fake starts from the same. */
async function loaded(ids: string[]): Promise<OfficeConfigData[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-contract-'));
  const db = openDatabase(join(dir, 'f.db'));
  try {
    for (const id of ids) saveOfficeConfig(db, testOffice({ id }));
    const store = new SqliteConfigStore(db);
    const out: OfficeConfigData[] = [];
    for (const id of ids) out.push((await store.load(id))!.config);
    return out;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function memory(): Promise<Subject> {
  const [o1, o2] = await loaded(['o1', 'o2']);
  const store = new MemoryConfigStore();
  store.offices.set('o1', { config: o1!, version: 1 });
  return {
    config: store,
    other: store,
    anotherOffice: async () => void store.offices.set('o2', { config: o2!, version: 1 }),
    clientAt: async (counterId) => void (store.live = { ticketsByService: counterId === null ? {} : { 'o1-s1': 1 }, busyCounterIds: counterId === null ? [] : [counterId] }),
  };
}

const change = (store: ConfigStore, build: (c: OfficeConfigData) => ConfigPatchData, over: Partial<ChangeInput> = {}) =>
  changeConfig({ config: store }, { officeId: 'o1', build: (c) => ok(build(c)), preview: false, userId: null, via: 'api', allowed: () => true, now: T0, ...over });

const ONLINE: OnlineBookingData = {
  dayCapacity: { kind: 'explicit', clients: 20 }, onlineSharePct: 50, onlinePlaces: null, slotMin: 30, placesPerSlot: null, horizonDays: 30, earliestDays: 0,
  release: { kind: 'rolling', openAt: '00:00' }, allocation: 'fcfs', drawWindowMin: 60, holdMin: 15, confirmBy: ['email'], counterWeights: {}, identityKey: null,
  fee: { amount: 500, currency: 'CZK', deadlineMin: 30, refunds: { clientCancel: 'none', officeChange: 'refund' } },
};

const renamed = (c: OfficeConfigData, id: string, en: string): ConfigPatchData => ({ services: { [id]: { ...c.services.find((s) => s.id === id)!, names: { en } } } });

eachStore<Subject>(
  {
    store: (o) => {
      const make = (): ConfigStore => (o.dialect === 'sqlite' ? new SqliteConfigStore(o.db) : new PgConfigStore(o.db));
      return {
        config: make(),
        other: make(),
        anotherOffice: () => o.fixtures.office('o2'),
        clientAt: async (counterId) => {
          if (counterId === null) return;
          await o.fixtures.doneTicket('t-live', T0, { state: 'called', counterId, doneAt: null, servingAt: null });
        },
      };
    },
    memory,
  },
  (s, { concurrent }) => {
    it("an office's configuration reads back as saved, its counters in number order; an unknown office is none", async () => {
      const l = (await s().config.load('o1'))!;
      expect(l.config).toEqual((await loaded(['o1']))[0]);
      expect(l.config.services.map((x) => x.id)).toEqual(['o1-s1', 'o1-s2', 'o1-s3']);
      expect(await s().config.load('nowhere')).toBeNull();
    });

    it('a change is written with its audit — who, which sections, before and after — and a config:changed event', async () => {
      const done = await change(s().config, (c) => ({ ...renamed(c, 'o1-s2', 'Passports'), hours: { ...c.hours, sat: { open: '09:00', close: '12:00', breaks: [] } } }), { userId: null, via: 'file' });
      expect(done).toMatchObject({ ok: true, value: { applied: true, sections: ['hours', 'services'] } });
      const v = done.ok ? done.value : null;
      expect(v!.event).toMatchObject({ type: 'config:changed', officeId: 'o1', payload: { changeId: v!.changeId, sections: ['hours', 'services'] }, at: T0 });
      const now = (await s().other.load('o1'))!.config;
      expect(now.services.find((x) => x.id === 'o1-s2')!.names).toEqual({ en: 'Passports' });
      expect(now.hours.sat).toEqual({ open: '09:00', close: '12:00', breaks: [] });
      const entry = (await s().other.auditEntry('o1', v!.changeId!))!;
      expect(entry).toMatchObject({ id: v!.changeId, officeId: 'o1', at: T0, via: 'file', undoOf: null, sections: ['hours', 'services'] });
      expect(entry.changes.length).toBeGreaterThan(0);
      expect(await s().config.audit('o1', 10)).toEqual([entry]);
      expect(await s().config.auditEntry('o2', v!.changeId!)).toBeNull();
    });

    it('a service opened for online booking with a fee and rules reads back so; closed again, it has none', async () => {
      const rules = { roster: true, outcomes: [{ id: 'issued', names: { en: 'Issued' } }], eligibility: [] };
      const open = await change(s().config, (c) => ({ services: { 'o1-s1': { ...c.services[0]!, online: ONLINE, rules, hours: { ...c.hours, fri: null } } } }));
      expect(open).toMatchObject({ ok: true, value: { applied: true } });
      expect((await s().other.load('o1'))!.config.services[0]).toMatchObject({ online: ONLINE, rules, hours: { fri: null } });
      const free: OnlineBookingData = { ...ONLINE };
      delete free.fee;
      await change(s().config, (c) => ({ services: { 'o1-s1': { ...c.services[0]!, online: free } } }));
      expect((await s().other.load('o1'))!.config.services[0]!.online).toEqual(free);
      await change(s().config, (c) => ({ services: { 'o1-s1': { ...c.services[0]!, online: null, rules: { roster: false, outcomes: [], eligibility: [] }, hours: null } } }));
      expect((await s().other.load('o1'))!.config).toEqual((await loaded(['o1']))[0]);
    });

    it('an undo restores the previous configuration, and is audited as the undo of that change', async () => {
      const before = (await s().config.load('o1'))!.config;
      const first = await change(s().config, (c) => ({ ...renamed(c, 'o1-s1', 'Identity cards'), fairness: { ...c.fairness, maxRecalls: 5 } }));
      const firstId = first.ok ? first.value.changeId! : -1;
      const changedCounters = await change(s().config, (c) => ({ counters: { 'o1-c1': { ...c.counters[0]!, number: '2' }, 'o1-c2': { ...c.counters[1]!, number: '1' } } }));
      expect(changedCounters).toMatchObject({ ok: true, value: { applied: true } });
      const undone = await undoChange({ config: s().config }, { officeId: 'o1', changeId: changedCounters.ok ? changedCounters.value.changeId! : -1, preview: false, userId: null, allowed: () => true, now: T0 + 1 });
      expect(undone).toMatchObject({ ok: true, value: { applied: true } });
      await undoChange({ config: s().config }, { officeId: 'o1', changeId: firstId, preview: false, userId: null, allowed: () => true, now: T0 + 2 });
      expect((await s().other.load('o1'))!.config).toEqual(before);
      const [last, previous] = await s().config.audit('o1', 2);
      expect(last).toMatchObject({ via: 'undo', undoOf: firstId, at: T0 + 2 });
      expect(previous).toMatchObject({ via: 'undo', at: T0 + 1 });
      expect((await s().config.audit('o1', 10, previous!.id)).map((e) => e.undoOf)).toEqual([null, null]);
    });

    it('a commit made against an older version is refused as stale; the use case applies the change again to what is there now', async () => {
      const l = (await s().config.load('o1'))!;
      await change(s().other, (c) => renamed(c, 'o1-s3', 'Driving licences'));
      const stale = await s().config.commit({
        officeId: 'o1', version: l.version, next: l.config, sections: ['fairness'], changes: [], before: {}, after: {}, userId: null, via: 'api', undoOf: null, at: T0,
        removedServiceIds: [], removedCounterIds: [],
      });
      expect(stale).toEqual({ kind: 'stale' });
      const again = await change(s().config, (c) => ({ fairness: { ...c.fairness, maxRecalls: 4 } }));
      expect(again).toMatchObject({ ok: true, value: { applied: true } });
      const now = (await s().config.load('o1'))!.config;
      expect(now.fairness.maxRecalls).toBe(4);
      expect(now.services.find((x) => x.id === 'o1-s3')!.names).toEqual({ en: 'Driving licences' });
    });

    it.runIf(concurrent)('two admins changing the office at once on two hosts: both changes land, one after the other', async () => {
      const [a, b] = await Promise.all([
        change(s().config, (c) => renamed(c, 'o1-s1', 'From host A')),
        change(s().other, (c) => ({ fairness: { ...c.fairness, maxRecalls: 7 } }), { now: T0 + 1 }),
      ]);
      expect([a.ok, b.ok]).toEqual([true, true]);
      const now = (await s().config.load('o1'))!.config;
      expect(now.services.find((x) => x.id === 'o1-s1')!.names).toEqual({ en: 'From host A' });
      expect(now.fairness.maxRecalls).toBe(7);
      expect(await s().config.audit('o1', 10)).toHaveLength(2);
    });

    it('a counter with a client at it is not removed (nothing changes); once the client is gone it is', async () => {
      await s().clientAt('o1-c2');
      const removeC2 = (c: OfficeConfigData): ConfigPatchData => ({ counters: { [c.counters[1]!.id]: null } });
      expect(await change(s().config, removeC2)).toMatchObject({ ok: false, error: { code: 'CONFIG_COUNTER_BUSY' } });
      const l = (await s().config.load('o1'))!;
      const next = { ...l.config, counters: l.config.counters.filter((x) => x.id !== 'o1-c2') };
      const refused = await s().config.commit({
        officeId: 'o1', version: l.version, next, sections: ['counters'], changes: [], before: {}, after: {}, userId: null, via: 'api', undoOf: null, at: T0,
        removedServiceIds: [], removedCounterIds: ['o1-c2'],
      });
      expect(refused).toMatchObject({ kind: 'busy', live: { busyCounterIds: ['o1-c2'] } });
      expect((await s().config.load('o1'))!.config.counters.map((x) => x.id)).toContain('o1-c2');
      expect(await s().config.audit('o1', 10)).toEqual([]);
      await s().clientAt(null);
    });

    it('a new service taking an id another office uses is refused', async () => {
      await s().anotherOffice();
      const add = await change(s().config, (c) => ({ services: { 'o2-s1': { ...c.services[0]!, id: 'o2-s1', prefix: 'Z' } } }));
      expect(add).toMatchObject({ ok: false, error: { code: 'CONFIG_ID_TWICE', params: { id: 'o2-s1' } } });
      expect((await s().config.load('o1'))!.config.services).toHaveLength(3);
    });
  },
);
