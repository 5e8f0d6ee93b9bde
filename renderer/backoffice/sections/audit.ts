import { html, type TemplateResult } from 'lit-html';
import { AuditResponse, type AuditEntryT } from '../../../contracts/office-config.ts';
import { api } from '../../shared/api.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { configPath, previewThenWrite } from '../config-write.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office configuration's change history, newest first: who, when, which sections, and what
 * changed (before → after, the first few fields); each change can be undone (after a confirm
 * that lists the bookings it would strand), which sets its old values again as a new change.
 */

const SHOWN = 4;

const short = (v: unknown): string => {
  if (v === null || v === undefined) return '—';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

function create(ctx: Ctx) {
  let changes: AuditEntryT[] = [];

  const reload = async (): Promise<void> => {
    changes = (await api('GET', `${configPath(ctx)}/audit?limit=100`, AuditResponse)).changes;
    ctx.update();
  };

  const when = (at: number): string =>
    new Intl.DateTimeFormat(currentLang(), { timeZone: ctx.timeZone(), dateStyle: 'short', timeStyle: 'short' }).format(new Date(at));

  // Through the same preview as any change: bookings the old values would strand are shown first.
  const undo = (c: AuditEntryT): void =>
    previewThenWrite(ctx, {
      name: `audit:undo:${c.id}`,
      method: 'POST',
      path: `/audit/${c.id}/undo`,
      ask: { title: t('backoffice.audit.undoTitle', { id: c.id }), body: t('backoffice.audit.undoBody'), confirmLabel: t('backoffice.audit.undo') },
      onDone: async () => {
        ctx.notice(t('backoffice.audit.undone'));
        await reload();
      },
      onError: (e) => ctx.problem(e),
    });

  const summary = (c: AuditEntryT): TemplateResult => html`<ul class="changes">
    ${c.changes.slice(0, SHOWN).map((f) => html`<li><code>${f.path}</code>: ${short(f.from)} → ${short(f.to)}</li>`)}
    ${c.changes.length > SHOWN ? html`<li>${t('backoffice.audit.more', { n: c.changes.length - SHOWN })}</li>` : ''}
  </ul>`;

  const row = (c: AuditEntryT): TemplateResult => html`<tr data-change=${c.id}>
    <td>${when(c.at)}</td>
    <td>${c.username ?? t('backoffice.audit.unknown')}</td>
    <td>${c.sections.join(', ')}</td>
    <td>${summary(c)}</td>
    <td class="act">${button({ label: t('backoffice.audit.undo'), ariaLabel: t('backoffice.audit.undoOf', { id: c.id }), isBusy: ctx.actions.isBusy(`audit:undo:${c.id}`), onClick: () => undo(c) })}</td>
  </tr>`;

  return {
    load: reload,
    view: () => html`<section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">${t('backoffice.audit.list')}</h2>
      ${changes.length === 0
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
              ${changes.map(row)}
            </tbody>
          </table>`}
    </section>`,
  };
}

export const auditSection: Section = { id: 'audit', titleKey: 'backoffice.audit.title', role: 'admin', create };
