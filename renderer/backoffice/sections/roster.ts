import { html, nothing, type TemplateResult } from 'lit-html';
import { RosterDiffResponse, type RosterDiffT } from '../../../contracts/rules.ts';
import { api } from '../../shared/api.ts';
import { t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { FormErrors, onSubmit, required, textareaField } from '../form.ts';
import type { Ctx, Section } from '../section.ts';
import { loadServices, servicePicker, type ServiceChoice } from '../services.ts';

/**
 * A roster-gated service's roster (admins): a CSV file (document_number, name, phone) is first
 * previewed — who is added, changed, removed, nothing stored — and only that previewed file is
 * applied, whole, after a confirm (people removed can no longer book the service).
 */

type Row = RosterDiffT['added'][number];

function create(ctx: Ctx) {
  let services: ServiceChoice[] = [];
  let serviceId = '';
  let csv = '';
  let fileName = '';
  /** The preview shown, and of what: Apply sends exactly that. */
  let preview: { serviceId: string; csv: string; diff: RosterDiffT } | null = null;
  const errors = new FormErrors('roster-csv');
  const path = (sid: string, applied: boolean): string => `/offices/${ctx.officeId()}/services/${sid}/${applied ? 'roster' : 'roster/preview'}`;

  const send = (applied: boolean, sid: string, text: string): void =>
    ctx.actions.run(
      applied ? 'roster:apply' : 'roster:preview',
      async () => {
        const diff = await api('POST', path(sid, applied), RosterDiffResponse, { csv: text });
        errors.clear();
        preview = applied ? null : { serviceId: sid, csv: text, diff };
        if (applied) {
          csv = '';
          fileName = '';
          ctx.notice(t('backoffice.roster.applied', { rows: diff.rows }));
        } else ctx.update();
      },
      (e) => {
        errors.fromFailure(e, { csv: 'roster-csv' });
        preview = null;
        ctx.update();
      },
    );

  const previewNow = (): void => {
    if (!errors.check([required('roster-csv', csv, t('backoffice.roster.csv'))])) return ctx.update();
    send(false, serviceId, csv);
  };

  const apply = (): void => {
    const p = preview;
    if (p === null) return;
    ctx.confirm({
      title: t('backoffice.roster.confirmTitle'),
      body: html`<p>${t('backoffice.roster.counts', { added: p.diff.added.length, changed: p.diff.changed.length, removed: p.diff.removed.length, unchanged: p.diff.unchanged })}</p>
        ${p.diff.removed.length === 0 ? nothing : html`<p>${t('backoffice.roster.removedWarning')}</p>`}`,
      confirmLabel: t('backoffice.roster.apply'),
      onConfirm: () => send(true, p.serviceId, p.csv),
    });
  };

  const readFile = (e: Event): void => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file === undefined) return;
    fileName = file.name;
    void file.text().then((text) => {
      csv = text;
      preview = null;
      ctx.update();
    });
  };

  const rows = (title: string, id: string, list: readonly Row[]): TemplateResult | typeof nothing =>
    list.length === 0
      ? nothing
      : html`<table class="grid" data-testid=${id}>
          <caption>${title} (${list.length})</caption>
          <thead>
            <tr>
              <th scope="col" class="num">${t('backoffice.roster.line')}</th>
              <th scope="col">${t('backoffice.roster.document')}</th>
              <th scope="col">${t('backoffice.roster.name')}</th>
              <th scope="col">${t('backoffice.roster.phone')}</th>
            </tr>
          </thead>
          <tbody>
            ${list.map(
              (r) => html`<tr>
                <td class="num">${r.line ?? t('ui.none')}</td>
                <td>${r.document ?? t('ui.none')}</td>
                <td class=${r.fields?.includes('name') === true ? 'changed' : ''}>${r.name}</td>
                <td class=${r.fields?.includes('phone') === true ? 'changed' : ''}>${r.phone}</td>
              </tr>`,
            )}
          </tbody>
        </table>`;

  const previewView = () => {
    const p = preview;
    if (p === null) return nothing;
    const d = p.diff;
    return html`<section class="card" aria-labelledby="roster-preview-title" data-testid="roster-preview">
      <h2 id="roster-preview-title">${t('backoffice.roster.previewTitle')}</h2>
      <p>${t('backoffice.roster.counts', { added: d.added.length, changed: d.changed.length, removed: d.removed.length, unchanged: d.unchanged })}</p>
      ${rows(t('backoffice.roster.added'), 'roster-added', d.added)} ${rows(t('backoffice.roster.changed'), 'roster-changed', d.changed)}
      ${rows(t('backoffice.roster.removed'), 'roster-removed', d.removed)}
      <div class="actions">${button({ label: t('backoffice.roster.apply'), isPrimary: true, isBusy: ctx.actions.isBusy('roster:apply'), onClick: apply })}</div>
    </section>`;
  };

  return {
    async load() {
      ({ services, serviceId } = await loadServices(ctx.officeId(), serviceId));
      ctx.update();
    },
    view: () => html`<form class="card" @submit=${onSubmit(previewNow)} novalidate aria-labelledby="roster-title">
        <h2 id="roster-title">${t('backoffice.roster.import')}</h2>
        <p class="hint">${t('backoffice.roster.intro')}</p>
        ${errors.summary()}
        ${servicePicker('roster-service', services, serviceId, (v) => {
          serviceId = v;
          preview = null;
          ctx.update();
        })}
        <div class="field">
          <label for="roster-file">${t('backoffice.roster.file')}</label>
          <input id="roster-file" type="file" accept=".csv,text/csv" @change=${readFile} />
          ${fileName === '' ? nothing : html`<p class="hint">${fileName}</p>`}
        </div>
        ${textareaField({
          id: 'roster-csv',
          label: t('backoffice.roster.csv'),
          hint: t('backoffice.roster.csvHint'),
          value: csv,
          rows: 8,
          error: errors.of('roster-csv'),
          onInput: (v) => {
            csv = v;
            preview = null;
            ctx.update();
          },
        })}
        ${button({ label: t('backoffice.roster.preview'), type: 'submit', isBusy: ctx.actions.isBusy('roster:preview'), onClick: () => undefined })}
      </form>
      ${previewView()}`,
  };
}

export const rosterSection: Section = { id: 'roster', titleKey: 'backoffice.roster.title', role: 'admin', create };
