import type { UserRole } from '../shared/model.ts';
import { hasRole } from './access.ts';

/**
 * Who may act on an office: the one permission check of every route that names an office or an
 * entity of one. Staff act on their own office with at least the role asked; an install admin
 * acts on every office as its admin; devices act on their own office only (as devices).
 *
 * `other-office` is kept apart from `role` so the edge can answer a stranger's request about an
 * entity of another office as "not found" (it learns nothing), and a too-low role as forbidden.
 */
export type Actor =
  | { kind: 'user'; officeId: string; role: UserRole; isInstallAdmin: boolean }
  | { kind: 'device'; officeId: string };

export type OfficeAccess = 'ok' | 'other-office' | 'role';

/** `atLeast` absent: any staff of the office, and its devices. */
export function officeAccess(actor: Actor, officeId: string, atLeast?: UserRole): OfficeAccess {
  if (actor.kind === 'user' && actor.isInstallAdmin && actor.role === 'admin') return 'ok';
  if (actor.officeId !== officeId) return 'other-office';
  if (atLeast === undefined) return 'ok';
  return actor.kind === 'user' && hasRole(actor.role, atLeast) ? 'ok' : 'role';
}

/** Creating offices (and their first admins) belongs to the install's admins only. */
export const canManageInstall = (actor: Actor): boolean => actor.kind === 'user' && actor.isInstallAdmin && actor.role === 'admin';
