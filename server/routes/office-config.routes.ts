import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { mayConfigure } from '../../core/config/access.ts';
import { undoChange } from '../../core/config/change.ts';
import { CONFIG_SECTIONS, type ConfigPatchData, type ConfigSectionName } from '../../core/config/model.ts';
import { diffConfig } from '../../core/config/patch.ts';
import { fail, ok, type Result } from '../../core/shared/result.ts';
import {
  Alerts,
  AuditChangeParams,
  AuditQuery,
  AuditResponse,
  Calendar,
  ConfigChangeResponse,
  ConfigParams,
  Fairness,
  Logos,
  OfficeConfig,
  OfficeProfilePatch,
  OrderBody,
  PreviewQuery,
  WeekHours,
} from '../../contracts/office-config.ts';
import type { ServerDeps } from '../deps.ts';
import { PUBLIC } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { answer, CONFIG_BODY_LIMIT, configEdge, isPreview } from './office-config-edge.ts';
import type { Api } from './types.ts';
import { configItemRoutes } from './office-config-items.routes.ts';

/**
 * The office configuration over the API: read whole, changed by section (the office, logos,
 * hours, calendar, fairness, alerts, order) or by item (office-config-items.routes.ts), every
 * change through core/config/change.ts (validated whole, checked against what is live, audited,
 * one `config:changed` event), with `?preview=1` answering the same without changing anything.
 */

/** A section replaced whole by the body. */
const section =
  <K extends ConfigSectionName>(key: K, value: unknown) =>
  (): Result<ConfigPatchData> =>
    ok({ [key]: value });

export function officeConfigRoutes(api: Api, deps: ServerDeps): void {
  const store = deps.config;
  if (store === undefined) return;
  const edge = configEdge(store, deps);
  const write = { params: ConfigParams, querystring: PreviewQuery, response: { 200: ConfigChangeResponse } };

  api.get(
    '/offices/:officeId/config',
    { schema: { tags: ['admin'], summary: 'The whole configuration of the office (admin, supervisor)', params: ConfigParams, response: { 200: OfficeConfig } } },
    async (req) => {
      edge.reader(req, req.params.officeId);
      const loaded = await store.load(req.params.officeId);
      if (loaded === null) throw new ApiError('OFFICE_NOT_FOUND');
      return loaded.config as z.infer<typeof OfficeConfig>;
    },
  );

  // The screens' logo as an image (public, like the office's name): 204 when the office has none.
  // Every screen asks again on each start and on each change of the logos (no-cache), but with
  // the ETag it holds: an unchanged logo is a 304 with no body, a new one is seen at once.
  api.get(
    '/offices/:officeId/logo',
    { config: PUBLIC, schema: { tags: ['office'], summary: 'The office’s screen logo as an image; 204 when it has none, 304 when the If-None-Match tag still holds (public)', params: ConfigParams } },
    async (req, reply) => {
      const loaded = await store.load(req.params.officeId);
      if (loaded === null) throw new ApiError('OFFICE_NOT_FOUND');
      const logo = loaded.config.logos.screen;
      void reply.header('cache-control', 'no-cache');
      if (logo === null) return reply.status(204).send();
      const tag = `"${createHash('sha256').update(logo.mediaType).update('\n').update(logo.data).digest('base64url').slice(0, 27)}"`;
      void reply.header('etag', tag);
      if (matchesTag(req.headers['if-none-match'], tag)) return reply.status(304).send();
      return reply.type(logo.mediaType).send(Buffer.from(logo.data, 'base64'));
    },
  );

  api.put(
    '/offices/:officeId/config',
    { bodyLimit: CONFIG_BODY_LIMIT, schema: { tags: ['admin'], summary: 'Replaces the whole configuration (admin; the office file’s path)', ...write, body: OfficeConfig } },
    async (req) => {
      // The whole of it is addressed, even the sections it leaves as they are.
      if (!mayConfigure(edge.reader(req, req.params.officeId), req.params.officeId, CONFIG_SECTIONS)) throw new ApiError('FORBIDDEN');
      return edge.change(req, req.params.officeId, (current) =>
        req.body.id !== current.id ? fail('VALIDATION_FAILED', { detail: 'id' }) : ok(diffConfig(current, req.body).forward),
      );
    },
  );

  api.patch(
    '/offices/:officeId',
    { schema: { tags: ['admin'], summary: 'Changes the office’s names, languages, time zone, voice languages, address, contact (admin)', ...write, body: OfficeProfilePatch } },
    async (req) => edge.change(req, req.params.officeId, (current) => ok({ office: { ...current.office, ...req.body } as ConfigPatchData['office'] })),
  );

  const put = (path: string, key: ConfigSectionName, schema: z.ZodType, summary: string, bodyLimit?: number): void => {
    api.put(
      `/offices/:officeId/${path}`,
      { ...(bodyLimit === undefined ? {} : { bodyLimit }), schema: { tags: ['admin'], summary, ...write, body: schema } },
      async (req) => edge.change(req, req.params.officeId, section(key, req.body)),
    );
  };
  put('logos', 'logos', Logos, 'Sets the logos for screens and for the ticket (admin)', CONFIG_BODY_LIMIT);
  put('hours', 'hours', WeekHours, 'Sets the opening hours per weekday, with breaks (admin)');
  put('calendar', 'calendar', Calendar, 'Sets the closed days and the days with other hours (admin, supervisor)');
  put('fairness', 'fairness', Fairness, 'Sets the maximum wait, the recall cap, the default service time and the priority categories (admin)');
  put('alerts', 'alerts', Alerts, 'Sets when the floor page warns (admin, supervisor)');

  api.put(
    '/offices/:officeId/order',
    { schema: { tags: ['admin'], summary: 'Orders departments, services and counters (admin)', ...write, body: OrderBody } },
    async (req) => edge.change(req, req.params.officeId, () => ok({ order: req.body })),
  );

  configItemRoutes(api, deps, edge);

  api.get(
    '/offices/:officeId/audit',
    { schema: { tags: ['admin'], summary: 'Who changed what in the configuration, newest first (admin, supervisor)', params: ConfigParams, querystring: AuditQuery, response: { 200: AuditResponse } } },
    async (req) => {
      edge.reader(req, req.params.officeId);
      return { changes: (await store.audit(req.params.officeId, req.query.limit ?? 50, req.query.before)) as z.infer<typeof AuditResponse>['changes'] };
    },
  );

  api.post(
    '/offices/:officeId/audit/:changeId/undo',
    { schema: { tags: ['admin'], summary: 'Re-applies the old values of a change as a new change (who may change its sections)', params: AuditChangeParams, querystring: PreviewQuery, response: { 200: ConfigChangeResponse } } },
    async (req) => {
      const { officeId } = req.params;
      const user = edge.reader(req, officeId);
      const changeId = /^[1-9]\d{0,14}$/.test(req.params.changeId) ? Number(req.params.changeId) : null;
      if (changeId === null) throw new ApiError('CONFIG_CHANGE_NOT_FOUND');
      const r = await undoChange(
        { config: store },
        { officeId, changeId, preview: isPreview(req.query), userId: user.id, allowed: (s) => mayConfigure(user, officeId, s), now: deps.clock.now() },
      );
      if (!r.ok) throw ApiError.from(r.error);
      if (r.value.event !== null) req.server.broadcast([r.value.event]);
      return answer(r.value);
    },
  );
}

/** If-None-Match names this tag (a list, weak or strong, or `*`). */
function matchesTag(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === tag || v === `W/${tag}`;
  });
}
