import { expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../core/alerts/alerts.ts';
import { MemoryAlertSettingsStore, type AlertSettingsStore } from '../../core/alerts/ports.ts';
import { changeConfig } from '../../core/config/change.ts';
import type { ConfigStore } from '../../core/config/ports.ts';
import { ok } from '../../core/shared/result.ts';
import { SqliteAlertSettingsStore } from '../../store/alert-settings.store.ts';
import { SqliteConfigStore } from '../../store/office-config.store.ts';
import { PgAlertSettingsStore } from '../../store/postgres/alert-settings.store.ts';
import { PgConfigStore } from '../../store/postgres/config.store.ts';
import { eachStore } from './stores.ts';

/** The monitor's thresholds: the defaults until the office configuration's `alerts` section changes them. */

interface Subject {
  alerts: AlertSettingsStore;
  /** The admin saves the office's thresholds (through the office configuration, or the fake's own setter). */
  save(settings: AlertSettings): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const OURS: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, targetWaitMin: 12, serviceTargets: { 'o1-s2': 45 }, outboxBacklog: 9, emailSupervisors: true };

const throughConfig = (config: ConfigStore) => async (alerts: AlertSettings) => {
  const done = await changeConfig({ config }, { officeId: 'o1', build: () => ok({ alerts }), preview: false, userId: null, via: 'api', allowed: () => true, now: T0 });
  if (!done.ok) throw new Error(done.error.code);
};

eachStore<Subject>(
  {
    store: (o) =>
      o.dialect === 'sqlite'
        ? { alerts: new SqliteAlertSettingsStore(o.db), save: throughConfig(new SqliteConfigStore(o.db)) }
        : { alerts: new PgAlertSettingsStore(o.db), save: throughConfig(new PgConfigStore(o.db)) },
    memory: () => {
      const m = new MemoryAlertSettingsStore();
      return { alerts: m, save: (a) => m.put('o1', a) };
    },
  },
  (s) => {
    it('an office that never set its thresholds has the defaults; an unknown office too', async () => {
      expect(await s().alerts.get('o1')).toEqual(DEFAULT_ALERT_SETTINGS);
      expect(await s().alerts.get('nowhere')).toEqual(DEFAULT_ALERT_SETTINGS);
    });

    it("the thresholds an admin saves are the ones the monitor reads, for that office only", async () => {
      await s().save(OURS);
      expect(await s().alerts.get('o1')).toEqual(OURS);
      expect(await s().alerts.get('o2')).toEqual(DEFAULT_ALERT_SETTINGS);
    });
  },
);
