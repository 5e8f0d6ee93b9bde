import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './alerts.ts';

/**
 * Reads an office's alert thresholds. They are a section of the office configuration (changed
 * through it: the office file, the audit and undo); this is the monitor's cheap read of them.
 */
export interface AlertSettingsStore {
  /** The office's thresholds; the defaults when it never changed them. */
  get(officeId: string): Promise<AlertSettings>;
}

/** In memory, for core tests and contract tests. */
export class MemoryAlertSettingsStore implements AlertSettingsStore {
  private readonly rows = new Map<string, AlertSettings>();
  get(officeId: string): Promise<AlertSettings> {
    return Promise.resolve(this.rows.get(officeId) ?? DEFAULT_ALERT_SETTINGS);
  }
  /** Tests set an office's thresholds directly. */
  put(officeId: string, settings: AlertSettings): Promise<void> {
    this.rows.set(officeId, structuredClone(settings));
    return Promise.resolve();
  }
}
