import { AlertSettingsBody, AlertSettingsResponse, AlertsResponse } from '../../contracts/alerts.ts';
import { OfficeParams } from '../../contracts/api.ts';
import type { AlertMonitor } from '../alert-monitor.ts';
import { requireOffice, requireUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ok } from '../../core/shared/result.ts';
import { ApiError } from '../errors.ts';
import { configEdge, isPreview } from './office-config-edge.ts';
import type { Api } from './types.ts';

/** The configuration's routes that may change the thresholds (as Fastify names them, prefix included). */
const THRESHOLD_WRITES = /\/offices\/:officeId\/(?:alerts|config|audit\/:changeId\/undo)$/;

/**
 * The office's alerts (staff at counters and on the floor see them) and their thresholds
 * (supervisors and admins change them, as a change of the office configuration).
 */
export function alertRoutes(api: Api, deps: ServerDeps, monitor: AlertMonitor): void {
  api.get(
    '/offices/:officeId/alerts',
    { schema: { tags: ['office'], summary: "The office's alerts now (staff of the office); `alerts:changed` events follow", params: OfficeParams, response: { 200: AlertsResponse } } },
    async (req) => {
      requireUser(req.identity);
      requireOffice(req.identity, req.params.officeId);
      return { officeId: req.params.officeId, alerts: monitor.alerts(req.params.officeId) };
    },
  );

  // The thresholds are the configuration's `alerts` section (PUT /offices/:id/alerts, audited, undoable);
  // these two are its short names, and a change here is looked at by the monitor at once.
  const config = deps.config;
  if (config === undefined) return;

  // So is a change of them through the configuration's own routes (the section, the whole
  // configuration, an undo): one source, whichever route wrote it. Before the answer leaves (not
  // after it, on onResponse): a page that reads the alerts once answered must find them looked at,
  // however long the store takes to be read.
  api.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' && reply.statusCode === 200 && THRESHOLD_WRITES.test(req.routeOptions.url ?? '') && !isPreview(req.query)) await monitor.check();
    return payload;
  });
  const edge = configEdge(config, deps);

  api.get(
    '/offices/:officeId/alert-settings',
    { schema: { tags: ['supervisor'], summary: "Alert thresholds of the office (the configuration's alerts section)", params: OfficeParams, response: { 200: AlertSettingsResponse } } },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      const loaded = await config.load(req.params.officeId);
      if (loaded === null) throw new ApiError('OFFICE_NOT_FOUND');
      return { officeId: req.params.officeId, ...loaded.config.alerts };
    },
  );

  api.put(
    '/offices/:officeId/alert-settings',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Sets the alert thresholds (a change of the configuration): a target wait for the office and per service, outbox backlog and failures, e-mail to supervisors',
        params: OfficeParams,
        body: AlertSettingsBody,
        response: { 200: AlertSettingsResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      const { officeId } = req.params;
      requireOffice(req.identity, officeId);
      const changed = await edge.change(req, officeId, () => ok({ alerts: req.body }));
      // New thresholds apply at once, not at the next interval.
      await monitor.check();
      return { officeId, ...changed.config.alerts };
    },
  );
}
