import { OfficeParams } from '../../contracts/api.ts';
import { BackupPlanBody, BackupsResponse } from '../../contracts/backups.ts';
import { requireOffice, requireUser } from '../auth.ts';
import type { BackupsAdmin } from '../deps.ts';
import type { Api } from './types.ts';

/**
 * The nightly backup in the back office (admin): when it runs and how long backups are kept, and
 * the backups there are. The host's backups are of its whole database, so the admin of an office
 * on it sets them for the install.
 */
export function backupRoutes(api: Api, backups: BackupsAdmin): void {
  const answer = () => ({ ...backups.plan(), backups: backups.list() });
  api.get(
    '/offices/:officeId/backups',
    { schema: { tags: ['admin'], summary: 'The nightly backup’s time and retention, and the backups kept (admin)', params: OfficeParams, response: { 200: BackupsResponse } } },
    async (req) => {
      requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      return answer();
    },
  );
  api.put(
    '/offices/:officeId/backups',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sets the nightly backup’s local time (HH:MM) and how many days of backups are kept; the next backup follows it (admin)',
        params: OfficeParams,
        body: BackupPlanBody,
        response: { 200: BackupsResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      backups.save(req.body);
      return answer();
    },
  );
}
