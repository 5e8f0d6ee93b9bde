import { html, type TemplateResult } from 'lit-html';
import { AuditLogResponse, type AuditLogEntryT } from '../../../contracts/audit-log.ts';
import { api } from '../../shared/api.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { previewThenWrite } from '../config-write.ts';
import { FormErrors, onSubmit, selectField } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * Every change of the office, newest first: the configuration, users and devices, templates,
 * bans, and the online-booking settings with the crisis switch — who, when, what, and before →
 * after (the first few fields). Filtered by kind, person and days. A configuration change can be
 * undone (after a confirm that lists the bookings it would strand), which sets its old values
 * again as a new change.
 */

const SHOWN = 4;
const KINDS = ['config', 'people', 'templates', 'bans', 'booking-settings'] as const;
const CONFIG_REF = /^config:(\d+)$/;

const short = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

function create(ctx: Ctx) {
  let entries: AuditLogEntryT[] = [];
  const q = { kind: '', who: '', from: '', to: '' };
  const errors = new FormErrors('audit-kind');

  const query = (): string => {
    const p = new URLSearchParams({ limit: '200' });
    for (const [k, v] of Object.entries(q)) if (v.trim() !== '') p.set(k, v.trim());
    return p.toString();
  };
  const reload = async (): Promise<void> => {
    entries = (await api('GET', `/offices/${ctx.officeId()}/audit-log?${query()}`, AuditLogResponse)).entries;
    ctx.update();
  };
  const show = (): void =>
    ctx.actions.run(
      'audit:show',
      async () => {
        await reload();
        errors.clear();
        ctx.update();
      },
      (e) => {
        errors.fromFailure(e, { kind: 'audit-kind', who: 'audit-who', from: 'audit-from', to: 'audit-to' });
        ctx.update();
      },
    );

  const when = (at: number): string =>
    new Intl.DateTimeFormat(currentLang(), { timeZone: ctx.timeZone(), dateStyle: 'short', timeStyle: 'short' }).format(new Date(at));

  // Through the same preview as any change: bookings the old values would strand are shown first.
  const undo = (id: string): void =>
    previewThenWrite(ctx, {
      name: `audit:undo:${id}`,
      method: 'POST',
      path: `/audit/${id}/undo`,
      ask: { title: t('backoffice.audit.undoTitle', { id }), body: t('backoffice.audit.undoBody'), confirmLabel: t('backoffice.audit.undo') },
      onDone: async () => {
        ctx.notice(t('backoffice.audit.undone'));
        await reload();
      },
      onError: (e) => ctx.problem(e),
    });

  const summary = (c: AuditLogEntryT): TemplateResult => html`<ul class="changes">
    ${c.changes.slice(0, SHOWN).map((f) => html`<li><code>${f.path}</code>: ${short(f.from)} → ${short(f.to)}</li>`)}
    ${c.changes.length > SHOWN ? html`<li>${t('backoffice.audit.more', { n: c.changes.length - SHOWN })}</li>` : ''}
  </ul>`;

  const row = (c: AuditLogEntryT): TemplateResult => {
    const configId = CONFIG_REF.exec(c.ref)?.[1];
    return html`<tr data-ref=${c.ref} data-kind=${c.kind}>
      <td>${when(c.at)}</td>
      <td>${c.username ?? t('backoffice.audit.unknown')}</td>
      <td>${t(`backoffice.audit.kind.${c.kind}`)}: ${c.subject}</td>
      <td>${summary(c)}</td>
      <td class="act">
        ${configId === undefined
          ? ''
          : button({ label: t('backoffice.audit.undo'), ariaLabel: t('backoffice.audit.undoOf', { id: configId }), isBusy: ctx.actions.isBusy(`audit:undo:${configId}`), onClick: () => undo(configId) })}
      </td>
    </tr>`;
  };

  return {
    load: reload,
    view: () => html`<form class="card" @submit=${onSubmit(show)} novalidate aria-labelledby="audit-filter-title">
        <h2 id="audit-filter-title">${t('backoffice.audit.filter')}</h2>
        ${errors.summary()}
        <div class="cols">
          ${selectField({
            id: 'audit-kind',
            label: t('backoffice.audit.kindLabel'),
            value: q.kind,
            error: errors.of('audit-kind'),
            options: [{ value: '', label: t('backoffice.audit.kind.all') }, ...KINDS.map((k) => ({ value: k, label: t(`backoffice.audit.kind.${k}`) }))],
            onChange: (v) => (q.kind = v),
          })}
          ${field({ id: 'audit-who', label: t('backoffice.audit.who'), hint: t('backoffice.audit.whoHint'), value: q.who, maxlength: 64, error: errors.of('audit-who'), onInput: (v) => (q.who = v) })}
          ${field({ id: 'audit-from', label: t('backoffice.audit.from'), type: 'date', value: q.from, error: errors.of('audit-from'), onInput: (v) => (q.from = v) })}
          ${field({ id: 'audit-to', label: t('backoffice.audit.to'), type: 'date', value: q.to, error: errors.of('audit-to'), onInput: (v) => (q.to = v) })}
        </div>
        <div class="actions">${button({ label: t('backoffice.audit.show'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('audit:show'), onClick: () => undefined })}</div>
      </form>
      <section class="card" aria-labelledby="audit-title">
        <h2 id="audit-title">${t('backoffice.audit.list')}</h2>
        ${entries.length === 0
          ? html`<p>${t('backoffice.audit.none')}</p>`
          : html`<table class="grid" data-testid="audit">
              <thead>
                <tr>
                  <th scope="col">${t('backoffice.audit.when')}</th>
                  <th scope="col">${t('backoffice.audit.who')}</th>
                  <th scope="col">${t('backoffice.audit.what')}</th>
                  <th scope="col">${t('backoffice.audit.change')}</th>
                  <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                ${entries.map(row)}
              </tbody>
            </table>`}
      </section>`,
  };
}

export const auditSection: Section = { id: 'audit', titleKey: 'backoffice.audit.title', role: 'admin', create };
