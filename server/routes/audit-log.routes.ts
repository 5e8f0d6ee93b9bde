import { AUDIT_KINDS, auditEntryOf, type AuditLogStore } from '../../core/audit/audit-log.ts';
import { zonedInstant } from '../../core/booking/release.ts';
import { AuditLogQuery, AuditLogResponse } from '../../contracts/audit-log.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { requireOffice, requireUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Who changed what in the office, every kind of change in one list (admin): the audit page reads it. */
export function auditLogRoutes(api: Api, deps: ServerDeps, store: AuditLogStore): void {
  api.get(
    '/offices/:officeId/audit-log',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every change of the office, newest first: configuration, users and devices, templates, bans, booking settings (the crisis switch); filtered by kind, person and office-local days (admin)',
        params: OfficeParams,
        querystring: AuditLogQuery,
        response: { 200: AuditLogResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      const office = await deps.queue.read(async (s) => await s.getOffice(req.params.officeId));
      if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
      const q = req.query;
      const from = q.from === undefined ? 0 : zonedInstant(office.timeZone, q.from, 0);
      const to = q.to === undefined ? Number.MAX_SAFE_INTEGER : zonedInstant(office.timeZone, nextDay(q.to), 0);
      const rows = await store.rows(office.id, { kinds: q.kind === undefined ? AUDIT_KINDS : [q.kind], who: q.who, from, to, limit: q.limit ?? 100 });
      return { entries: rows.map(auditEntryOf) };
    },
  );
}
