import { pickText } from '../../core/booking/availability.ts';
import { NO_RULES, validateServiceRules, type ServiceRules } from '../../core/rules/service-rules.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { OfficeOutcomesResponse, ServiceRulesBody, ServiceRulesResponse, type ServiceRulesT } from '../../contracts/rules.ts';
import { OfficeServiceParams } from '../../contracts/screens.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { unwrap, type Api } from './types.ts';

const wire = (r: ServiceRules): { serviceId: string; rules: ServiceRulesT } => ({
  serviceId: r.serviceId,
  rules: { roster: r.roster, outcomes: r.outcomes.map((o) => ({ id: o.id, names: { ...o.names } })), eligibility: [...r.eligibility] },
});

/**
 * A service's rules about people (admin): roster gate, outcomes, eligibility intervals; and the
 * outcomes of an office's services for the counter page (any staff of the office).
 */
export function serviceRulesRoutes(api: Api, deps: ServerDeps): void {
  const rules = deps.booking?.serviceRules?.rules;
  if (rules === undefined) return;

  api.get(
    '/offices/:officeId/services/:serviceId/rules',
    { schema: { tags: ['admin'], summary: 'The rules of a service: roster gate, outcomes, eligibility intervals (admin)', params: OfficeServiceParams, response: { 200: ServiceRulesResponse } } },
    async (req) => {
      requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      return deps.queue.read(async (store) => {
        if ((await store.getService(req.params.serviceId))?.officeId !== req.params.officeId) throw new ApiError('SERVICE_NOT_FOUND');
        return wire(await rules.serviceRules(req.params.serviceId) ?? NO_RULES(req.params.serviceId));
      });
    },
  );

  api.put(
    '/offices/:officeId/services/:serviceId/rules',
    { schema: { tags: ['admin'], summary: 'Replaces the rules of a service (admin)', params: OfficeServiceParams, body: ServiceRulesBody, response: { 200: ServiceRulesResponse } } },
    async (req) => {
      requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      const given: ServiceRules = { serviceId: req.params.serviceId, ...req.body.rules };
      const saved = await deps.queue.run(async (store) => {
        const valid = await validateServiceRules({ store, rules }, req.params.officeId, given);
        if (valid.ok) await rules.putServiceRules(valid.value);
        return valid;
      });
      return wire(unwrap(saved));
    },
  );

  api.get(
    '/offices/:officeId/outcomes',
    { schema: { tags: ['office'], summary: 'The outcomes a clerk can record when finishing, per service (staff of the office)', params: OfficeParams, response: { 200: OfficeOutcomesResponse } } },
    async (req) => {
      requireUser(req.identity);
      requireOffice(req.identity, req.params.officeId);
      return deps.queue.read(async (store) => {
        const office = await store.getOffice(req.params.officeId);
        if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
        return {
          services: (
            await Promise.all(
              (await store.listServices(office.id)).map(async (s) => {
                const outcomes = (await rules.serviceRules(s.id))?.outcomes ?? [];
                return outcomes.length === 0 ? [] : [{ serviceId: s.id, outcomes: outcomes.map((o) => ({ id: o.id, name: pickText(o.names, req.lang, office) })) }];
              }),
            )
          ).flat(),
        };
      });
    },
  );
}
