import type { ErrorCode } from '../../core/shared/errors.ts';
import type { ConfigPatchData, CounterData, OfficeConfigData, ServiceData } from '../../core/config/model.ts';
import { fail, ok, type Result } from '../../core/shared/result.ts';
import {
  ConfigChangeResponse,
  ConfigCounterParams,
  ConfigDepartmentParams,
  ConfigParams,
  ConfigServiceParams,
  CounterCreate,
  CounterPatch,
  Department,
  DepartmentCreate,
  PreviewQuery,
  ServiceCreate,
  ServicePatch,
} from '../../contracts/office-config.ts';
import type { ServerDeps } from '../deps.ts';
import type { Api } from './types.ts';
import type { ConfigEdge } from './office-config-edge.ts';

/**
 * Departments, services and counters one at a time (admin): create, change, remove. Removing a
 * service takes it off the counters that serve it (refused if it is a counter's only one);
 * removing a counter takes it out of the services' counter weights; removing a department frees
 * the counters in it. What would break something live is refused by the core.
 */

type List = 'departments' | 'services' | 'counters';
const NOT_FOUND: Record<List, ErrorCode> = { departments: 'DEPARTMENT_NOT_FOUND', services: 'SERVICE_NOT_FOUND', counters: 'COUNTER_NOT_FOUND' };

function existing<L extends List>(current: OfficeConfigData, list: L, id: string): Result<OfficeConfigData[L][number]> {
  const item = (current[list] as readonly { id: string }[]).find((x) => x.id === id);
  return item === undefined ? fail(NOT_FOUND[list]) : ok(item as OfficeConfigData[L][number]);
}

function creating(current: OfficeConfigData, list: List, id: string): Result<string> {
  return (current[list] as readonly { id: string }[]).some((x) => x.id === id) ? fail('CONFIG_ID_TWICE', { field: `${list}.${id}.id`, id }) : ok(id);
}

function removeService(current: OfficeConfigData, id: string): Result<ConfigPatchData> {
  const found = existing(current, 'services', id);
  if (!found.ok) return found;
  const counters: Record<string, CounterData> = {};
  for (const c of current.counters) {
    if (!c.serviceIds.includes(id)) continue;
    if (c.serviceIds.length === 1) return fail('CONFIG_COUNTER_ONLY_SERVICE', { field: `counters.${c.id}.serviceIds`, number: c.number });
    counters[c.id] = { ...c, serviceIds: c.serviceIds.filter((s) => s !== id) };
  }
  return ok({ services: { [id]: null }, counters });
}

function removeCounter(current: OfficeConfigData, id: string): Result<ConfigPatchData> {
  const found = existing(current, 'counters', id);
  if (!found.ok) return found;
  const services: Record<string, ServiceData> = {};
  for (const s of current.services) {
    if (s.online === null || !(id in s.online.counterWeights)) continue;
    const weights = Object.fromEntries(Object.entries(s.online.counterWeights).filter(([k]) => k !== id));
    services[s.id] = { ...s, online: { ...s.online, counterWeights: weights } };
  }
  return ok({ counters: { [id]: null }, services });
}

function removeDepartment(current: OfficeConfigData, id: string): Result<ConfigPatchData> {
  const found = existing(current, 'departments', id);
  if (!found.ok) return found;
  const counters: Record<string, CounterData> = {};
  for (const c of current.counters) if (c.departmentId === id) counters[c.id] = { ...c, departmentId: null };
  return ok({ departments: { [id]: null }, counters });
}

/** An addition to one list, under the id asked for (refused if taken) or a new one. */
function adding<L extends List>(list: L, asked: string | undefined, newId: () => string, build: (id: string) => OfficeConfigData[L][number]): (current: OfficeConfigData) => Result<ConfigPatchData> {
  return (current) => {
    const id = creating(current, list, asked ?? newId());
    return id.ok ? ok({ [list]: { [id.value]: build(id.value) } }) : id;
  };
}

/** A PATCH of one service or counter: the fields given replace theirs. */
function patching(list: 'services' | 'counters', id: string, fields: object): (current: OfficeConfigData) => Result<ConfigPatchData> {
  return (current) => {
    const found = existing(current, list, id);
    return found.ok ? ok({ [list]: { [found.value.id]: { ...found.value, ...fields } } }) : found;
  };
}

export function configItemRoutes(api: Api, deps: ServerDeps, edge: ConfigEdge): void {
  const response = { 200: ConfigChangeResponse };
  const tags = ['admin'];

  api.post(
    '/offices/:officeId/departments',
    { schema: { tags, summary: 'Adds a department (admin)', params: ConfigParams, querystring: PreviewQuery, body: DepartmentCreate, response } },
    async (req) => edge.change(req, req.params.officeId, adding('departments', req.body.id, () => deps.ids.entityId('dep'), (id) => ({ ...req.body, id }))),
  );
  api.put(
    '/offices/:officeId/departments/:departmentId',
    { schema: { tags, summary: 'Renames a department (admin)', params: ConfigDepartmentParams, querystring: PreviewQuery, body: Department.omit({ id: true }), response } },
    async (req) =>
      edge.change(req, req.params.officeId, (current) => {
        const id = req.params.departmentId;
        const found = existing(current, 'departments', id);
        return found.ok ? ok({ departments: { [id]: { ...req.body, id } } }) : found;
      }),
  );
  api.delete(
    '/offices/:officeId/departments/:departmentId',
    { schema: { tags, summary: 'Removes a department without services (admin)', params: ConfigDepartmentParams, querystring: PreviewQuery, response } },
    async (req) => edge.change(req, req.params.officeId, (current) => removeDepartment(current, req.params.departmentId)),
  );

  api.post(
    '/offices/:officeId/services',
    { schema: { tags, summary: 'Adds a service (admin)', params: ConfigParams, querystring: PreviewQuery, body: ServiceCreate, response } },
    async (req) => {
      const b = req.body;
      const rules = b.rules ?? { roster: false, outcomes: [], eligibility: [] };
      return edge.change(req, req.params.officeId, adding('services', b.id, () => deps.ids.entityId('svc'), (id) => ({ ...b, id, hours: b.hours ?? null, online: b.online ?? null, rules })));
    },
  );
  api.patch(
    '/offices/:officeId/services/:serviceId',
    { schema: { tags, summary: 'Changes a service: the fields given replace theirs (admin)', params: ConfigServiceParams, querystring: PreviewQuery, body: ServicePatch, response } },
    async (req) => edge.change(req, req.params.officeId, patching('services', req.params.serviceId, req.body)),
  );
  api.delete(
    '/offices/:officeId/services/:serviceId',
    { schema: { tags, summary: 'Removes a service with no tickets in the office (admin)', params: ConfigServiceParams, querystring: PreviewQuery, response } },
    async (req) => edge.change(req, req.params.officeId, (current) => removeService(current, req.params.serviceId)),
  );

  api.post(
    '/offices/:officeId/counters',
    { schema: { tags, summary: 'Adds a counter (admin)', params: ConfigParams, querystring: PreviewQuery, body: CounterCreate, response } },
    async (req) => {
      const b = req.body;
      return edge.change(req, req.params.officeId, adding('counters', b.id, () => deps.ids.entityId('ctr'), (id) => ({ ...b, id, name: b.name ?? null, departmentId: b.departmentId ?? null })));
    },
  );
  api.patch(
    '/offices/:officeId/counters/:counterId',
    { schema: { tags, summary: 'Changes a counter: the fields given replace theirs (admin)', params: ConfigCounterParams, querystring: PreviewQuery, body: CounterPatch, response } },
    async (req) => edge.change(req, req.params.officeId, patching('counters', req.params.counterId, req.body)),
  );
  api.delete(
    '/offices/:officeId/counters/:counterId',
    { schema: { tags, summary: 'Removes a counter with no client at it (admin)', params: ConfigCounterParams, querystring: PreviewQuery, response } },
    async (req) => edge.change(req, req.params.officeId, (current) => removeCounter(current, req.params.counterId)),
  );
}
