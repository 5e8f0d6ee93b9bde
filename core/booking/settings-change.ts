import type { Localized } from '../shared/model.ts';

/** A value of the online-booking settings as their history records it. */
export type SettingValue = string | number | boolean | null | Localized;

/** One field that changed: `rules.noShowBanDays`, `suspended`, `checkIn.late`… */
export interface SettingChange {
  field: string;
  from: SettingValue;
  to: SettingValue;
}

/** Through which door the change came: an admin's settings, the crisis switch (supervisors too), or `fronta` on the host. */
export type SettingsChangeVia = 'settings' | 'crisis' | 'cli';
