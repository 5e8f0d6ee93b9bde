import { html, nothing, type TemplateResult } from 'lit-html';
import type { DepartmentT, OfficeConfigT } from '../../../contracts/office-config.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { langName, loadConfig, nameOf, namesBody, namesDraft, previewThenWrite, saveForm } from '../config-write.ts';
import { FormErrors, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office's departments (admins): listed with the services and counters in each, renamed in
 * every language, added, and removed — a department still holding services is refused by the
 * host (move or remove its services first); its counters stay, in no department.
 */

interface Draft {
  id: string | null;
  names: Record<string, string>;
}

function create(ctx: Ctx) {
  let config: OfficeConfigT | null = null;
  let draft: Draft = { id: null, names: {} };
  const errors = new FormErrors('dep-name-cs');
  const firstLang = (): string => ctx.languages()[0] ?? 'cs';

  const reload = async (): Promise<void> => {
    config = await loadConfig(ctx);
    draft = { id: null, names: namesDraft(ctx, null) };
    ctx.update();
  };

  const save = (): void => {
    const d = draft;
    const names = namesBody(d.names);
    if (!errors.check([Object.keys(names).length > 0 ? null : { fieldId: `dep-name-${firstLang()}`, message: t('backoffice.departments.nameNeeded') }])) return ctx.update();
    saveForm(ctx, {
      name: 'department:save',
      method: d.id === null ? 'POST' : 'PUT',
      path: d.id === null ? '/departments' : `/departments/${encodeURIComponent(d.id)}`,
      body: { names },
      errors,
      reload,
      fields: { names: `dep-name-${firstLang()}`, ...Object.fromEntries(ctx.languages().map((l) => [`names.${l}`, `dep-name-${l}`])) },
    });
  };

  const edit = (x: DepartmentT): void => {
    draft = { id: x.id, names: namesDraft(ctx, x.names) };
    errors.clear();
    ctx.update();
    setTimeout(() => document.getElementById(`dep-name-${firstLang()}`)?.focus(), 0);
  };

  const remove = (x: DepartmentT, label: string): void =>
    ctx.confirm({
      title: t('backoffice.departments.removeTitle', { department: label }),
      body: t('backoffice.departments.removeBody'),
      confirmLabel: t('backoffice.remove'),
      onConfirm: () =>
        previewThenWrite(ctx, {
          name: `department:remove:${x.id}`,
          method: 'DELETE',
          path: `/departments/${encodeURIComponent(x.id)}`,
          onDone: async () => {
            ctx.notice(t('backoffice.departments.removed', { department: label }));
            await reload();
          },
          onError: (e) => ctx.problem(e),
        }),
    });

  const row = (c: OfficeConfigT, x: DepartmentT): TemplateResult => {
    const label = nameOf(x.names, currentLang());
    return html`<tr data-department=${x.id}>
      <th scope="row">${label}</th>
      <td>${c.services.filter((s) => s.departmentId === x.id).map((s) => s.prefix).join(', ') || t('ui.none')}</td>
      <td>${c.counters.filter((k) => k.departmentId === x.id).map((k) => k.number).join(', ') || t('ui.none')}</td>
      <td class="act">
        ${button({ label: t('backoffice.servicesConfig.edit'), ariaLabel: t('backoffice.departments.editOf', { department: label }), onClick: () => edit(x) })}
        ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.departments.removeTitle', { department: label }), isBusy: ctx.actions.isBusy(`department:remove:${x.id}`), onClick: () => remove(x, label) })}
      </td>
    </tr>`;
  };

  const form = (): TemplateResult => {
    const d = draft;
    const editing = config?.departments.find((x) => x.id === d.id);
    return html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="dep-form-title">
      <h2 id="dep-form-title">${editing === undefined ? t('backoffice.departments.add') : t('backoffice.departments.editOf', { department: nameOf(editing.names, currentLang()) })}</h2>
      ${errors.summary()}
      <div class="cols">
        ${ctx.languages().map((l) => field({ id: `dep-name-${l}`, label: t('backoffice.departments.name', { lang: langName(l) }), value: d.names[l] ?? '', maxlength: 120, error: errors.of(`dep-name-${l}`), onInput: (v) => (d.names[l] = v) }))}
      </div>
      <div class="actions">
        ${d.id === null ? nothing : button({ label: t('ui.cancel'), onClick: () => ((draft = { id: null, names: namesDraft(ctx, null) }), errors.clear(), ctx.update()) })}
        ${button({ label: d.id === null ? t('backoffice.departments.create') : t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('department:save'), onClick: () => undefined })}
      </div>
    </form>`;
  };

  return {
    load: reload,
    view: () => {
      const c = config;
      if (c === null) return nothing;
      return html`<section class="card" aria-labelledby="deps-title">
          <h2 id="deps-title">${t('backoffice.departments.list')}</h2>
          ${c.departments.length === 0
            ? html`<p>${t('backoffice.departments.none')}</p>`
            : html`<table class="grid" data-testid="department-list">
                <thead>
                  <tr>
                    <th scope="col">${t('backoffice.servicesConfig.nameCol')}</th>
                    <th scope="col">${t('backoffice.departments.services')}</th>
                    <th scope="col">${t('backoffice.departments.counters')}</th>
                    <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${c.departments.map((x) => row(c, x))}
                </tbody>
              </table>`}
        </section>
        ${form()}`;
    },
  };
}

export const departmentsSection: Section = { id: 'departments', titleKey: 'backoffice.departments.title', role: 'admin', create };
