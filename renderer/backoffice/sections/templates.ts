import { html, nothing, type TemplateResult } from 'lit-html';
import { z } from 'zod';
import { MessagePreview, TemplateSaveResponse, TemplatesResponse, TicketPreview, type TemplateViewT } from '../../../contracts/templates.ts';
import { api } from '../../shared/api.ts';
import { LANG_NAMES, isLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { FormErrors, onSubmit, selectField, textareaField } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * Message and ticket templates (admins): pick one (kind and language), edit it — a message's
 * subject, text and SMS, the ticket's header and footer lines —, with the placeholders it may use
 * listed; Preview renders it with sample data (or says what is wrong) without saving.
 */

const PreviewAnswer = z.object({ preview: z.union([MessagePreview, TicketPreview]) });
type PreviewT = z.infer<typeof PreviewAnswer>['preview'];

interface Draft {
  subject: string;
  text: string;
  sms: string;
  header: string;
  footer: string;
}

const isTicket = (v: TemplateViewT): boolean => v.kind === 'ticket';
const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l !== '');

function create(ctx: Ctx) {
  let all: TemplateViewT[] = [];
  let key = '';
  let draft: Draft = { subject: '', text: '', sms: '', header: '', footer: '' };
  let preview: PreviewT | null = null;
  const errors = new FormErrors('tpl-subject');
  const keyOf = (v: TemplateViewT): string => `${v.kind}/${v.language}`;
  const chosen = (): TemplateViewT | undefined => all.find((v) => keyOf(v) === key);

  const pick = (k: string): void => {
    key = k;
    const v = chosen();
    const tp = (v?.template ?? {}) as Partial<{ subject: string; text: string; sms: string; header: string[]; footer: string[] }>;
    draft = { subject: tp.subject ?? '', text: tp.text ?? '', sms: tp.sms ?? '', header: (tp.header ?? []).join('\n'), footer: (tp.footer ?? []).join('\n') };
    preview = v?.preview ?? null;
    errors.clear();
    ctx.update();
  };

  const reload = async (): Promise<void> => {
    all = (await api('GET', `/offices/${ctx.officeId()}/templates`, TemplatesResponse)).templates;
    pick(all.some((v) => keyOf(v) === key) ? key : all[0] === undefined ? '' : keyOf(all[0]));
  };

  const body = (v: TemplateViewT): unknown =>
    isTicket(v) ? { header: lines(draft.header), footer: lines(draft.footer) } : { subject: draft.subject, text: draft.text, sms: draft.sms };
  const fields = { subject: 'tpl-subject', text: 'tpl-text', sms: 'tpl-sms', smsSegments: 'tpl-sms', header: 'tpl-header', footer: 'tpl-footer' };
  const url = (v: TemplateViewT): string => `/offices/${ctx.officeId()}/templates/${v.kind}/${v.language}`;

  const doPreview = (): void => {
    const v = chosen();
    if (v === undefined) return;
    ctx.actions.run(
      'tpl:preview',
      async () => {
        preview = (await api('POST', `${url(v)}/preview`, PreviewAnswer, { template: body(v) })).preview;
        errors.clear();
      },
      (e) => {
        errors.fromFailure(e, fields);
        ctx.update();
      },
    );
  };

  const save = (): void => {
    const v = chosen();
    if (v === undefined) return;
    ctx.actions.run(
      'tpl:save',
      async () => {
        await api('PUT', url(v), TemplateSaveResponse, body(v));
        ctx.notice(t('backoffice.saved'));
        await reload();
      },
      (e) => {
        errors.fromFailure(e, fields);
        ctx.update();
      },
    );
  };

  const previewBox = (): TemplateResult | typeof nothing => {
    const p = preview;
    if (p === null) return nothing;
    return html`<section class="card" aria-labelledby="tpl-preview-title" data-testid="template-preview">
      <h2 id="tpl-preview-title">${t('backoffice.templates.preview')}</h2>
      ${'subject' in p
        ? html`<p><strong>${p.subject}</strong></p>
            <pre class="preview">${p.text}</pre>
            <p>${t('backoffice.templates.sms')}: ${p.sms}</p>`
        : html`<pre class="preview">${[...p.header, '…', ...p.footer].join('\n')}</pre>`}
    </section>`;
  };

  const label = (v: TemplateViewT): string => `${t(`backoffice.templates.kinds.${v.kind}`)} · ${isLang(v.language) ? LANG_NAMES[v.language] : v.language}${v.isDefault ? ` (${t('backoffice.templates.default')})` : ''}`;

  const form = (v: TemplateViewT): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="tpl-title">
    <h2 id="tpl-title">${label(v)}</h2>
    ${errors.summary()}
    <p class="hint">${t('backoffice.templates.placeholders')}: ${v.placeholders.map((p) => html`<code>{{${p}}}</code> `)}</p>
    ${isTicket(v)
      ? html`${textareaField({ id: 'tpl-header', label: t('backoffice.templates.header'), hint: t('backoffice.templates.linesHint'), rows: 4, value: draft.header, error: errors.of('tpl-header'), onInput: (x) => (draft.header = x) })}
        ${textareaField({ id: 'tpl-footer', label: t('backoffice.templates.footer'), hint: t('backoffice.templates.linesHint'), rows: 4, value: draft.footer, error: errors.of('tpl-footer'), onInput: (x) => (draft.footer = x) })}`
      : html`${field({ id: 'tpl-subject', label: t('backoffice.templates.subject'), value: draft.subject, maxlength: 200, error: errors.of('tpl-subject'), onInput: (x) => (draft.subject = x) })}
        ${textareaField({ id: 'tpl-text', label: t('backoffice.templates.text'), rows: 8, maxlength: 4000, value: draft.text, error: errors.of('tpl-text'), onInput: (x) => (draft.text = x) })}
        ${textareaField({ id: 'tpl-sms', label: t('backoffice.templates.sms'), rows: 3, maxlength: 1000, value: draft.sms, error: errors.of('tpl-sms'), onInput: (x) => (draft.sms = x) })}`}
    <div class="actions">
      ${button({ label: t('backoffice.templates.previewButton'), isBusy: ctx.actions.isBusy('tpl:preview'), onClick: doPreview })}
      ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('tpl:save'), onClick: () => undefined })}
    </div>
  </form>`;

  return {
    load: reload,
    view: () => {
      const v = chosen();
      return html`<div class="card">
          ${selectField({ id: 'tpl-pick', label: t('backoffice.templates.pick'), value: key, options: all.map((x) => ({ value: keyOf(x), label: label(x) })), onChange: pick })}
        </div>
        ${v === undefined ? nothing : form(v)} ${previewBox()}`;
    },
  };
}

export const templatesSection: Section = { id: 'templates', titleKey: 'backoffice.templates.title', role: 'admin', create };
