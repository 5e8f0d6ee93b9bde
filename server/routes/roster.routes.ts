import { applyRoster, previewRoster } from '../../core/rules/roster.ts';
import type { QueueStore } from '../../core/queue/ports.ts';
import { OfficeServiceParams } from '../../contracts/screens.ts';
import { ROSTER_BODY_LIMIT, RosterBody, RosterDiffResponse } from '../../contracts/rules.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { unwrap, type Api } from './types.ts';

const ROUTES = [
  { path: 'roster/preview', applied: false, summary: 'What importing this roster (CSV: document_number, name, phone) would change; stores nothing (admin)' },
  { path: 'roster', applied: true, summary: 'Makes this CSV the service roster, whole, in one transaction; rows not in it are removed (admin)' },
] as const;

/**
 * An admin imports a roster-gated service's roster as CSV: first a preview of what changes
 * (added, changed, removed rows; nothing stored), then the same file applied whole in one
 * transaction. A bad file is refused with its line numbers and changes nothing. These two routes
 * take bodies up to ROSTER_BODY_LIMIT instead of the host's 16 KiB.
 */
export function rosterRoutes(api: Api, deps: ServerDeps): void {
  const b = deps.booking;
  const rules = b?.serviceRules;
  if (b === undefined || rules === undefined) return;
  const rosterDeps = (store: QueueStore) => ({ store, roster: rules.roster, keyed: b.keyed, clock: deps.clock });

  for (const { path, applied, summary } of ROUTES) {
    api.post(
      `/offices/:officeId/services/:serviceId/${path}`,
      { bodyLimit: ROSTER_BODY_LIMIT, schema: { tags: ['admin'], summary, params: OfficeServiceParams, body: RosterBody, response: { 200: RosterDiffResponse } } },
      async (req) => {
        requireUser(req.identity, 'admin');
        requireOffice(req.identity, req.params.officeId);
        const { officeId, serviceId } = req.params;
        const diff = applied
          ? await deps.queue.run(async (store) => await applyRoster(rosterDeps(store), officeId, serviceId, req.body.csv))
          : await deps.queue.read(async (store) => await previewRoster(rosterDeps(store), officeId, serviceId, req.body.csv));
        return { ...unwrap(diff), applied };
      },
    );
  }
}
