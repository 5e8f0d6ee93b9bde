import { html, nothing, type TemplateResult } from 'lit-html';
import type { CounterT, DepartmentT, ServiceT } from '../../../contracts/office-config.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { langName, loadConfig, nameOf, namesBody, namesDraft, previewThenWrite } from '../config-write.ts';
import { checkboxField, FormErrors, onSubmit, required, selectField } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office's counters (admins): the list; a new counter (number, name, department, the services
 * it serves in order of preference — check boxes, and up/down buttons for the order); edited; removed.
 */

interface Draft {
  id: string | null;
  number: string;
  names: Record<string, string>;
  departmentId: string;
  /** Served services, most preferred first. */
  serviceIds: string[];
  errors: FormErrors;
}

function create(ctx: Ctx) {
  let counters: CounterT[] = [];
  let services: ServiceT[] = [];
  let departments: DepartmentT[] = [];
  let draft: Draft | null = null;

  const blank = (): Draft => ({ id: null, number: '', names: namesDraft(ctx, null), departmentId: '', serviceIds: [], errors: new FormErrors('ctr-number') });
  const reload = async (): Promise<void> => {
    const c = await loadConfig(ctx);
    counters = c.counters;
    services = c.services;
    departments = c.departments;
    draft ??= blank();
    ctx.update();
  };
  const svcLabel = (id: string): string => {
    const s = services.find((x) => x.id === id);
    return s === undefined ? id : `${s.prefix} · ${nameOf(s.names, currentLang())}`;
  };

  const save = (): void => {
    const d = draft;
    if (d === null) return;
    if (
      !d.errors.check([
        required('ctr-number', d.number, t('backoffice.countersConfig.number')),
        d.serviceIds.length === 0 ? { fieldId: `ctr-svc-${services[0]?.id ?? ''}`, message: t('backoffice.countersConfig.oneService') } : null,
      ])
    )
      return ctx.update();
    const names = namesBody(d.names);
    const body = { number: d.number.trim(), name: Object.keys(names).length === 0 ? null : names, departmentId: d.departmentId === '' ? null : d.departmentId, serviceIds: d.serviceIds };
    previewThenWrite(ctx, {
      name: 'counter:save',
      method: d.id === null ? 'POST' : 'PATCH',
      path: d.id === null ? '/counters' : `/counters/${d.id}`,
      body,
      onDone: async () => {
        ctx.notice(t(d.id === null ? 'backoffice.countersConfig.created' : 'backoffice.saved'));
        draft = blank();
        await reload();
      },
      onError: (e) => {
        d.errors.fromFailure(e, { number: 'ctr-number', departmentId: 'ctr-department', serviceIds: `ctr-svc-${services[0]?.id ?? ''}`, name: `ctr-name-${ctx.languages()[0] ?? 'cs'}` });
        ctx.update();
      },
    });
  };

  const remove = (c: CounterT): void =>
    ctx.confirm({
      title: t('backoffice.countersConfig.removeTitle', { counter: c.number }),
      body: t('backoffice.countersConfig.removeBody'),
      confirmLabel: t('backoffice.remove'),
      onConfirm: () =>
        previewThenWrite(ctx, {
          name: `counter:remove:${c.id}`,
          method: 'DELETE',
          path: `/counters/${c.id}`,
          onDone: async () => {
            ctx.notice(t('backoffice.countersConfig.removed'));
            await reload();
          },
          onError: (e) => ctx.problem(e),
        }),
    });

  const edit = (c: CounterT): void => {
    draft = { id: c.id, number: c.number, names: namesDraft(ctx, c.name), departmentId: c.departmentId ?? '', serviceIds: [...c.serviceIds], errors: new FormErrors('ctr-number') };
    ctx.update();
    setTimeout(() => document.getElementById('ctr-number')?.focus(), 0);
  };

  const move = (d: Draft, i: number, by: -1 | 1): void => {
    const j = i + by;
    const a = d.serviceIds[i];
    const b = d.serviceIds[j];
    if (a === undefined || b === undefined) return;
    d.serviceIds[i] = b;
    d.serviceIds[j] = a;
    ctx.update();
    // The focus follows the moved service, so that pressing the same key again keeps moving it.
    setTimeout(() => document.getElementById(`ctr-order-${a}-${by < 0 ? 'up' : 'down'}`)?.focus(), 0);
  };

  const toggle = (d: Draft, id: string, on: boolean): void => {
    d.serviceIds = on ? [...d.serviceIds.filter((x) => x !== id), id] : d.serviceIds.filter((x) => x !== id);
    ctx.update();
  };

  const order = (d: Draft): TemplateResult =>
    d.serviceIds.length === 0
      ? html``
      : html`<ol class="order" aria-label=${t('backoffice.countersConfig.order')}>
          ${d.serviceIds.map(
            (id, i) => html`<li>
              <span>${svcLabel(id)}</span>
              ${button({ id: `ctr-order-${id}-up`, label: '↑', ariaLabel: t('backoffice.moveUp', { item: svcLabel(id) }), isDisabled: i === 0, onClick: () => move(d, i, -1) })}
              ${button({ id: `ctr-order-${id}-down`, label: '↓', ariaLabel: t('backoffice.moveDown', { item: svcLabel(id) }), isDisabled: i === d.serviceIds.length - 1, onClick: () => move(d, i, 1) })}
            </li>`,
          )}
        </ol>`;

  const form = (): TemplateResult | typeof nothing => {
    const d = draft;
    if (d === null) return nothing;
    return html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="ctr-form-title">
      <h2 id="ctr-form-title">${d.id === null ? t('backoffice.countersConfig.add') : t('backoffice.countersConfig.editOf', { counter: d.number })}</h2>
      ${d.errors.summary()}
      <div class="cols">
        ${field({ id: 'ctr-number', label: t('backoffice.countersConfig.number'), hint: t('backoffice.countersConfig.numberHint'), value: d.number, maxlength: 8, error: d.errors.of('ctr-number'), onInput: (v) => (d.number = v) })}
        ${ctx.languages().map((l) => field({ id: `ctr-name-${l}`, label: t('backoffice.countersConfig.name', { lang: langName(l) }), value: d.names[l] ?? '', maxlength: 120, error: d.errors.of(`ctr-name-${l}`), onInput: (v) => (d.names[l] = v) }))}
        ${selectField({
          id: 'ctr-department',
          label: t('backoffice.servicesConfig.department'),
          value: d.departmentId,
          options: [{ value: '', label: t('ui.none') }, ...departments.map((x) => ({ value: x.id, label: nameOf(x.names, currentLang()) }))],
          error: d.errors.of('ctr-department'),
          onChange: (v) => (d.departmentId = v),
        })}
      </div>
      <fieldset>
        <legend>${t('backoffice.countersConfig.serves')}</legend>
        ${services.map((s) => checkboxField({ id: `ctr-svc-${s.id}`, label: svcLabel(s.id), checked: d.serviceIds.includes(s.id), error: d.errors.of(`ctr-svc-${s.id}`), onChange: (v) => toggle(d, s.id, v) }))}
      </fieldset>
      ${order(d)}
      <div class="actions">
        ${d.id === null ? nothing : button({ label: t('ui.cancel'), onClick: () => ((draft = blank()), ctx.update()) })}
        ${button({ label: d.id === null ? t('backoffice.countersConfig.create') : t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('counter:save'), onClick: () => undefined })}
      </div>
    </form>`;
  };

  const row = (c: CounterT): TemplateResult => html`<tr data-counter=${c.number}>
    <th scope="row">${c.number}</th>
    <td>${nameOf(c.name, currentLang())}</td>
    <td>${c.serviceIds.map(svcLabel).join(', ')}</td>
    <td class="act">
      ${button({ label: t('backoffice.servicesConfig.edit'), ariaLabel: t('backoffice.countersConfig.editOf', { counter: c.number }), onClick: () => edit(c) })}
      ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.countersConfig.removeTitle', { counter: c.number }), isBusy: ctx.actions.isBusy(`counter:remove:${c.id}`), onClick: () => remove(c) })}
    </td>
  </tr>`;

  return {
    load: reload,
    view: () => html`<section class="card" aria-labelledby="counters-title">
        <h2 id="counters-title">${t('backoffice.countersConfig.list')}</h2>
        <table class="grid" data-testid="counters">
          <thead>
            <tr>
              <th scope="col">${t('backoffice.countersConfig.number')}</th>
              <th scope="col">${t('backoffice.servicesConfig.nameCol')}</th>
              <th scope="col">${t('backoffice.countersConfig.serves')}</th>
              <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${counters.map(row)}
          </tbody>
        </table>
      </section>
      ${form()}`,
  };
}

export const countersConfigSection: Section = { id: 'counters', titleKey: 'backoffice.countersConfig.title', role: 'admin', create };
