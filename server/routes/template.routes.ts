import type { z } from 'zod';
import type { Language, Office } from '../../core/shared/model.ts';
import { PLACEHOLDERS, TEMPLATE_KINDS, type Template, type TemplateChange, type TemplateKind, type TemplateOf } from '../../core/templates/model.ts';
import { previewTemplate } from '../../core/templates/preview.ts';
import { saveTemplate, undoTemplateChange } from '../../core/templates/templates.ts';
import type { TemplateStore } from '../../core/templates/ports.ts';
import { LANGUAGES } from '../../core/shared/model.ts';
import {
  MessageTemplate,
  TemplateAuditQuery,
  TemplateAuditResponse,
  TemplateChangeId,
  TemplateChangeParams,
  TemplateKey,
  TemplateParams,
  TemplatePreviewBody,
  TemplateSaveResponse,
  TemplatesParams,
  TemplatesResponse,
  TicketTemplate,
  type TemplateViewT,
} from '../../contracts/templates.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser, type Identity } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Translate } from '../i18n.ts';
import { defaultTemplate, sampleValues } from '../templates.ts';
import { validationDetail } from '../validation.ts';
import { pickName } from './office.routes.ts';
import { unwrap, type Api } from './types.ts';

/**
 * Message and ticket templates of an office: supervisors and admins read them (each with its
 * placeholders, its default and a preview with sample data), admins change them. Every change is
 * checked like the preview (braces, placeholders, SMS segments, line width), recorded with
 * before → after, and can be undone.
 */
export function templateRoutes(api: Api, deps: ServerDeps): void {
  const templates = deps.templates;
  if (templates === undefined) return;

  const officeOf = async (identity: Identity, officeId: string, atLeast: 'supervisor' | 'admin') => {
    const user = requireUser(identity, atLeast);
    requireOffice(identity, officeId);
    const office = await deps.queue.read(async (store) => await store.getOffice(officeId));
    if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
    return { user, office };
  };

  const sample = async (office: Office, language: Language): Promise<Record<string, string>> => {
    const service = (await deps.queue.read(async (store) => await store.listServices(office.id)))[0];
    return sampleValues(office, service === undefined ? '—' : pickName(service.names, language, office), language, deps.publicUrl, deps.clock.now());
  };

  const view = async (office: Office, kind: TemplateKind, language: Language, own: Template | null): Promise<TemplateViewT> => {
    const fallback = defaultTemplate(kind, language);
    const template = own ?? fallback;
    const preview = previewTemplate(kind, template as TemplateOf<typeof kind>, await sample(office, language));
    return {
      kind,
      language,
      placeholders: [...PLACEHOLDERS[kind]],
      isDefault: own === null,
      template,
      default: fallback,
      // A default can outgrow a limit with the office's own data (a long office name on 58 mm paper): shown, not refused.
      preview: preview.ok ? preview.value : kind === 'ticket' ? { header: [], footer: [] } : { subject: '', text: '', sms: '', smsEncoding: 'gsm7', smsSegments: 0 },
    };
  };

  /** Input checked after the caller (the path's kind and language, the body for the kind), told in the caller's language. */
  const checked = <T>(t: Translate, schema: z.ZodType<T>, value: unknown, where: 'body' | 'params'): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues.map((i) => ({ keyword: i.code, instancePath: `/${i.path.join('/')}`, message: i.message, params: { ...i } }));
    throw new ApiError('VALIDATION_FAILED', { detail: validationDetail(t, where, issues) });
  };
  const keyOf = (t: Translate, params: { kind: string; language: string }) => checked(t, TemplateKey, { kind: params.kind, language: params.language }, 'params');
  const parseBody = (t: Translate, kind: TemplateKind, body: unknown): Template => checked<Template>(t, kind === 'ticket' ? TicketTemplate : MessageTemplate, body, 'body');

  const changeView = (c: TemplateChange) => c;

  api.get(
    '/offices/:officeId/templates',
    { schema: { tags: ['admin'], summary: 'Every message and ticket template of the office in each of its languages, with placeholders, default and preview (supervisor, admin)', params: TemplatesParams, response: { 200: TemplatesResponse } } },
    async (req) => {
      const { office } = await officeOf(req.identity, req.params.officeId, 'supervisor');
      const own = await templates.list(office.id);
      const languages = office.languages.length > 0 ? office.languages : LANGUAGES;
      const out: TemplateViewT[] = [];
      for (const kind of TEMPLATE_KINDS) {
        for (const language of languages) out.push(await view(office, kind, language, own.find((o) => o.kind === kind && o.language === language)?.template ?? null));
      }
      return { templates: out };
    },
  );

  api.get(
    '/offices/:officeId/templates/:kind/:language',
    { schema: { tags: ['admin'], summary: 'One template, with its placeholders, default and preview (supervisor, admin)', params: TemplateParams } },
    async (req) => {
      const { office } = await officeOf(req.identity, req.params.officeId, 'supervisor');
      const { kind, language } = keyOf(req.t, req.params);
      return await view(office, kind, language, await templates.get(office.id, kind, language));
    },
  );

  api.post(
    '/offices/:officeId/templates/:kind/:language/preview',
    {
      schema: {
        tags: ['admin'],
        summary: 'Renders a template with sample data, or says what is wrong with it (the same check as a save); nothing is changed (supervisor, admin)',
        params: TemplateParams,
        body: TemplatePreviewBody,
      },
    },
    async (req) => {
      const { office } = await officeOf(req.identity, req.params.officeId, 'supervisor');
      const { kind, language } = keyOf(req.t, req.params);
      const template = req.body.template === undefined ? ((await templates.get(office.id, kind, language)) ?? defaultTemplate(kind, language)) : parseBody(req.t, kind, req.body.template);
      return { kind, language, preview: unwrap(previewTemplate(kind, template as TemplateOf<typeof kind>, await sample(office, language))) };
    },
  );

  const save = async (identity: Identity, t: Translate, params: z.infer<typeof TemplateParams>, body: unknown) => {
    const { user, office } = await officeOf(identity, params.officeId, 'admin');
    const { kind, language } = keyOf(t, params);
    const template = body === null ? null : parseBody(t, kind, body);
    const change = unwrap(
      await saveTemplate(
        { templates },
        { officeId: office.id, kind, language, template, sample: await sample(office, language), now: deps.clock.now(), userId: user.id, username: user.username, via: 'api' },
      ),
    );
    return { template: await view(office, kind, language, await templates.get(office.id, kind, language)), change: change === null ? null : changeView(change) };
  };

  api.put(
    '/offices/:officeId/templates/:kind/:language',
    {
      schema: {
        tags: ['admin'],
        summary: 'Changes a template (a message: subject, text, sms, smsSegments; the ticket: header, footer, columns); refused with the field named when it would not render (admin)',
        params: TemplateParams,
        response: { 200: TemplateSaveResponse },
      },
    },
    async (req) => save(req.identity, req.t, req.params, req.body ?? {}),
  );

  api.delete(
    '/offices/:officeId/templates/:kind/:language',
    { schema: { tags: ['admin'], summary: 'Puts the default back (admin)', params: TemplateParams, response: { 200: TemplateSaveResponse } } },
    async (req) => save(req.identity, req.t, req.params, null),
  );

  api.get(
    '/offices/:officeId/templates-audit',
    { schema: { tags: ['admin'], summary: 'Changes to the office’s templates, newest first: who, when, before → after (supervisor, admin)', params: TemplatesParams, querystring: TemplateAuditQuery, response: { 200: TemplateAuditResponse } } },
    async (req) => {
      const { office } = await officeOf(req.identity, req.params.officeId, 'supervisor');
      return { changes: (await templates.changes(office.id, req.query.limit ?? 50, req.query.before)).map(changeView) };
    },
  );

  api.post(
    '/offices/:officeId/templates-audit/:changeId/undo',
    { schema: { tags: ['admin'], summary: 'Re-applies the template a change replaced, as a new change, through the same checks (admin)', params: TemplateChangeParams } },
    async (req) => {
      const { user, office } = await officeOf(req.identity, req.params.officeId, 'admin');
      const { changeId } = checked(req.t, TemplateChangeId, { changeId: req.params.changeId }, 'params');
      const found = await templates.change(office.id, changeId);
      const change = unwrap(
        await undoTemplateChange(
          { templates },
          { officeId: office.id, changeId, sample: await sample(office, found?.language ?? 'en'), now: deps.clock.now(), userId: user.id, username: user.username },
        ),
      );
      return { change };
    },
  );
}

export type { TemplateStore };
