import type { Database } from 'better-sqlite3';
import { alertSettingsOf, DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../core/alerts/alerts.ts';
import type { AlertSettingsStore } from '../core/alerts/ports.ts';

/** The thresholds from the office configuration's `alerts` section (one column of the office's row). */
export class SqliteAlertSettingsStore implements AlertSettingsStore {
  private readonly get1;

  constructor(db: Database) {
    this.get1 = db.prepare<[string], { alerts: string }>('SELECT alerts FROM offices WHERE id = ?');
  }

  get(officeId: string): Promise<AlertSettings> {
    const row = this.get1.get(officeId);
    return Promise.resolve(row === undefined ? DEFAULT_ALERT_SETTINGS : alertSettingsOf(JSON.parse(row.alerts)));
  }
}
