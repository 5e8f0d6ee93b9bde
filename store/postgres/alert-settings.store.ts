import { alertSettingsOf, DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../../core/alerts/alerts.ts';
import type { AlertSettingsStore } from '../../core/alerts/ports.ts';
import { row } from './booking/sql.ts';
import { sqlOf, type PgDb } from './db.ts';

/** The thresholds from the office configuration's `alerts` section (one column of the office's row), on PostgreSQL. */
export class PgAlertSettingsStore implements AlertSettingsStore {
  constructor(private readonly db: PgDb) {}

  async get(officeId: string): Promise<AlertSettings> {
    const r = await row<{ alerts: string }>(sqlOf(this.db), 'SELECT alerts FROM offices WHERE id = $1', [officeId]);
    return r === null ? DEFAULT_ALERT_SETTINGS : alertSettingsOf(JSON.parse(r.alerts));
  }
}
