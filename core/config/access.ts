import type { ConfigSectionName } from './model.ts';

/**
 * Who may read and change an office's configuration, in one place. Admins change everything of
 * their office; supervisors run the day (closed and changed days, alert thresholds) and read the
 * rest; clerks and devices read none of it; an install administrator (if the install has one)
 * may act on every office. Nobody touches another office.
 */
export interface ConfigCaller {
  role: string;
  officeId: string;
}

export const INSTALL_ADMIN_ROLE = 'install-admin';
/** Sections a supervisor may change. */
export const SUPERVISOR_SECTIONS: readonly ConfigSectionName[] = ['calendar', 'alerts'];

/** `'read'`, or the sections a change touches. */
export function mayConfigure(caller: ConfigCaller, officeId: string, what: 'read' | readonly ConfigSectionName[]): boolean {
  if (caller.role === INSTALL_ADMIN_ROLE) return true;
  if (caller.officeId !== officeId) return false;
  if (caller.role === 'admin') return true;
  if (caller.role !== 'supervisor') return false;
  return what === 'read' || what.every((s) => SUPERVISOR_SECTIONS.includes(s));
}
