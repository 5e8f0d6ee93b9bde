import { z } from 'zod';
import { LANGUAGES } from '../../core/shared/model.ts';
import { OfficeServiceParams } from '../../contracts/screens.ts';
import { mayConfigure } from '../../core/config/access.ts';
import { changeConfig } from '../../core/config/change.ts';
import { fail, ok } from '../../core/shared/result.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

/**
 * Renaming a service (admin) — the first piece of the back office's configuration editing. A
 * partial update: the languages given replace theirs, the others keep their names (a kiosk in a
 * language left out would otherwise fall back to another language's name).
 * Names are stored as typed: whatever reaches a printer is stripped of control bytes by the
 * encoder, whatever reaches a page is set as text, so neither has to trust this input.
 */
export const ServiceNamesBody = z.strictObject({
  names: z.partialRecord(z.enum(LANGUAGES), z.string().trim().min(1).max(120)).refine((n) => Object.keys(n).length > 0, 'at least one language'),
});

export function serviceAdminRoutes(api: Api, deps: ServerDeps): void {
  api.put(
    '/offices/:officeId/services/:serviceId/names',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sets the names of a service in the languages given; the others keep theirs (admin)',
        params: OfficeServiceParams,
        body: ServiceNamesBody,
      },
    },
    async (req) => {
      const admin = requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      const { officeId, serviceId } = req.params;
      if (deps.config !== undefined) {
        // A change of the office's configuration like any other: validated, audited, pushed to the screens.
        const r = await changeConfig(
          { config: deps.config },
          {
            officeId,
            build: (current) => {
              const service = current.services.find((s) => s.id === serviceId);
              return service === undefined ? fail('SERVICE_NOT_FOUND') : ok({ services: { [serviceId]: { ...service, names: { ...service.names, ...req.body.names } } } });
            },
            preview: false,
            userId: admin.id,
            via: 'api',
            allowed: (sections) => mayConfigure(admin, officeId, sections),
            now: deps.clock.now(),
          },
        );
        if (!r.ok) throw ApiError.from(r.error);
        if (r.value.event !== null) req.server.broadcast([r.value.event]);
        return { serviceId, names: r.value.config.services.find((s) => s.id === serviceId)!.names };
      }
      const names = await deps.queue.run(async (store) => {
        const service = await store.getService(req.params.serviceId);
        if (service === null || service.officeId !== req.params.officeId) return null;
        const merged = { ...service.names, ...req.body.names };
        return await store.setServiceNames(service.id, merged) ? merged : null;
      });
      if (names === null) throw new ApiError('SERVICE_NOT_FOUND');
      return { serviceId: req.params.serviceId, names };
    },
  );
}
