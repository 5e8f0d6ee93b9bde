import { AlertSettingsBody, AlertSettingsResponse, AlertsResponse } from '../../contracts/alerts.ts';
import { OfficeParams } from '../../contracts/api.ts';
import type { AlertMonitor } from '../alert-monitor.ts';
import { requireOffice, requireUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { validationDetail } from '../validation.ts';
import type { Api } from './types.ts';

/**
 * The office's alerts (staff at counters and on the floor see them) and their thresholds
 * (supervisors and admins change them; a change is in the event log as a settings change).
 */
export function alertRoutes(api: Api, deps: ServerDeps, monitor: AlertMonitor): void {
  const settings = deps.alerts!.settings;

  api.get(
    '/offices/:officeId/alerts',
    { schema: { tags: ['office'], summary: "The office's alerts now (staff of the office); `alerts:changed` events follow", params: OfficeParams, response: { 200: AlertsResponse } } },
    async (req) => {
      requireUser(req.identity);
      requireOffice(req.identity, req.params.officeId);
      return { officeId: req.params.officeId, alerts: monitor.alerts(req.params.officeId) };
    },
  );

  api.get(
    '/offices/:officeId/alert-settings',
    { schema: { tags: ['supervisor'], summary: 'Alert thresholds of the office', params: OfficeParams, response: { 200: AlertSettingsResponse } } },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      return { officeId: req.params.officeId, ...(await settings.get(req.params.officeId)) };
    },
  );

  api.put(
    '/offices/:officeId/alert-settings',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Sets the alert thresholds: a target wait for the office and per service, outbox backlog and failures, e-mail to supervisors',
        params: OfficeParams,
        body: AlertSettingsBody,
        response: { 200: AlertSettingsResponse },
      },
    },
    async (req) => {
      const user = requireUser(req.identity, 'supervisor');
      const { officeId } = req.params;
      requireOffice(req.identity, officeId);
      const services = new Set(await deps.queue.read(async (s) => (await s.listServices(officeId)).map((svc) => svc.id)));
      const unknown = Object.keys(req.body.serviceTargets).find((id) => !services.has(id));
      if (unknown !== undefined) {
        throw new ApiError('VALIDATION_FAILED', {
          detail: validationDetail(req.t, 'body', [{ keyword: 'invalid_value', instancePath: `/serviceTargets/${unknown}`, params: { values: [...services] } }]),
        });
      }
      await settings.put(officeId, req.body, user.id, deps.clock.now());
      // New thresholds apply at once, not at the next interval.
      await monitor.check();
      return { officeId, ...(await settings.get(officeId)) };
    },
  );
}
