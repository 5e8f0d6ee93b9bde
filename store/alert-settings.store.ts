import type { Database } from 'better-sqlite3';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../core/alerts/alerts.ts';
import type { AlertSettingsStore } from '../core/alerts/ports.ts';
import { storeWrite } from './write-gate.ts';

export class SqliteAlertSettingsStore implements AlertSettingsStore {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      get: db.prepare<[string], { settings: string }>('SELECT settings FROM alert_settings WHERE office_id = ?'),
      put: db.prepare<[string, string, number, string]>(`INSERT INTO alert_settings (office_id, settings, changed_at, changed_by) VALUES (?, ?, ?, ?)
        ON CONFLICT (office_id) DO UPDATE SET settings = excluded.settings, changed_at = excluded.changed_at, changed_by = excluded.changed_by`),
    };
  }

  get(officeId: string): Promise<AlertSettings> {
    const row = this.statements.get.get(officeId);
    // Settings saved before a threshold existed read it as its default.
    return Promise.resolve(row === undefined ? DEFAULT_ALERT_SETTINGS : { ...DEFAULT_ALERT_SETTINGS, ...(JSON.parse(row.settings) as Partial<AlertSettings>) });
  }

  put(officeId: string, settings: AlertSettings, by: string, at: number): Promise<void> {
    return storeWrite(this.db, () => {
      this.statements.put.run(officeId, JSON.stringify(settings), at, by);
    });
  }
}
