import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './alerts.ts';

/** Where an office's alert thresholds are kept. */
export interface AlertSettingsStore {
  /** The office's thresholds; the defaults when it never changed them. */
  get(officeId: string): Promise<AlertSettings>;
  put(officeId: string, settings: AlertSettings, by: string, at: number): Promise<void>;
}

/** In memory, for core tests and contract tests. */
export class MemoryAlertSettingsStore implements AlertSettingsStore {
  private readonly rows = new Map<string, AlertSettings>();
  get(officeId: string): Promise<AlertSettings> {
    return Promise.resolve(this.rows.get(officeId) ?? DEFAULT_ALERT_SETTINGS);
  }
  put(officeId: string, settings: AlertSettings): Promise<void> {
    this.rows.set(officeId, structuredClone(settings));
    return Promise.resolve();
  }
}
