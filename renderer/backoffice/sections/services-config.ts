import { html, nothing, type TemplateResult } from 'lit-html';
import type { DepartmentT, ServiceT } from '../../../contracts/office-config.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { langName, loadConfig, nameOf, namesBody, namesDraft, previewThenWrite } from '../config-write.ts';
import { FormErrors, onSubmit, required, selectField, wholeNumber } from '../form.ts';
import { onlineBody, onlineDraft, onlineErrors, onlineFields, ONLINE_FIELD_IDS, type OnlineDraft } from './service-online.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office's services (admins): the list; a new service (prefix, names in the office's
 * languages, department, daily walk-in capacity, online booking: service-online.ts); edited;
 * removed — the host refuses a service still in use and says what to do first, and that message
 * is shown. Every service belongs to a department: an office starts with none, so its
 * departments are listed and added here too.
 */

interface Draft {
  id: string | null;
  prefix: string;
  names: Record<string, string>;
  departmentId: string;
  capacity: string;
  online: OnlineDraft;
  errors: FormErrors;
}

function create(ctx: Ctx) {
  let services: ServiceT[] = [];
  let departments: DepartmentT[] = [];
  let draft: Draft | null = null;
  const dept = { names: {} as Record<string, string>, errors: new FormErrors('dept-name') };

  const blank = (): Draft => ({ id: null, prefix: '', names: namesDraft(ctx, null), departmentId: departments[0]?.id ?? '', capacity: '100', online: onlineDraft(null), errors: new FormErrors('svc-prefix') });
  const reload = async (): Promise<void> => {
    const c = await loadConfig(ctx);
    services = c.services;
    departments = c.departments;
    draft ??= blank();
    // A department just added is the one a new service goes to.
    if (draft.id === null && draft.departmentId === '') draft.departmentId = departments[0]?.id ?? '';
    if (Object.keys(dept.names).length === 0) dept.names = namesDraft(ctx, null);
    ctx.update();
  };

  const save = (): void => {
    const d = draft;
    if (d === null) return;
    const capacity = wholeNumber(d.capacity);
    const firstLang = ctx.languages()[0] ?? 'cs';
    if (
      !d.errors.check([
        required('svc-prefix', d.prefix, t('backoffice.servicesConfig.prefix')),
        required(`svc-name-${firstLang}`, d.names[firstLang] ?? '', t('backoffice.servicesConfig.name', { lang: langName(firstLang) })),
        capacity === null || capacity < 0 ? { fieldId: 'svc-capacity', message: t('backoffice.servicesConfig.capacityWhole') } : null,
        departments.length === 0 ? { fieldId: 'svc-department', message: t('backoffice.servicesConfig.departmentFirst') } : null,
        ...onlineErrors(d.online),
      ])
    )
      return ctx.update();
    const body = { prefix: d.prefix.trim().toUpperCase(), names: namesBody(d.names), departmentId: d.departmentId, dailyWalkInCapacity: capacity ?? 0, online: onlineBody(d.online, capacity ?? 0) };
    previewThenWrite(ctx, {
      name: 'service:save',
      method: d.id === null ? 'POST' : 'PATCH',
      path: d.id === null ? '/services' : `/services/${d.id}`,
      body,
      onDone: async () => {
        ctx.notice(t(d.id === null ? 'backoffice.servicesConfig.created' : 'backoffice.saved'));
        draft = blank();
        await reload();
      },
      onError: (e) => {
        d.errors.fromFailure(e, {
          prefix: 'svc-prefix',
          departmentId: 'svc-department',
          dailyWalkInCapacity: 'svc-capacity',
          ...ONLINE_FIELD_IDS,
          ...Object.fromEntries(ctx.languages().map((l) => [`names.${l}`, `svc-name-${l}`])),
          names: `svc-name-${firstLang}`,
        });
        ctx.update();
      },
    });
  };

  const remove = (s: ServiceT): void =>
    ctx.confirm({
      title: t('backoffice.servicesConfig.removeTitle', { service: `${s.prefix} ${nameOf(s.names, currentLang())}` }),
      body: t('backoffice.servicesConfig.removeBody'),
      confirmLabel: t('backoffice.remove'),
      onConfirm: () =>
        previewThenWrite(ctx, {
          name: `service:remove:${s.id}`,
          method: 'DELETE',
          path: `/services/${s.id}`,
          onDone: async () => {
            ctx.notice(t('backoffice.servicesConfig.removed'));
            await reload();
          },
          // The host refuses a service still in use, saying what to do first: shown as it is.
          onError: (e) => ctx.problem(e),
        }),
    });

  const edit = (s: ServiceT): void => {
    draft = { id: s.id, prefix: s.prefix, names: namesDraft(ctx, s.names), departmentId: s.departmentId, capacity: String(s.dailyWalkInCapacity), online: onlineDraft(s.online), errors: new FormErrors('svc-prefix') };
    ctx.update();
    setTimeout(() => document.getElementById('svc-prefix')?.focus(), 0);
  };

  const deptName = (id: string): string => nameOf(departments.find((x) => x.id === id)?.names ?? null, currentLang());

  const row = (s: ServiceT): TemplateResult => html`<tr data-service=${s.prefix}>
    <th scope="row">${s.prefix}</th>
    <td>${nameOf(s.names, currentLang())}</td>
    <td>${deptName(s.departmentId)}</td>
    <td>${s.dailyWalkInCapacity}</td>
    <td>${s.online === null ? t('backoffice.servicesConfig.walkInOnly') : t('backoffice.servicesConfig.slotsOf', { min: s.online.slotMin })}</td>
    <td class="act">
      ${button({ label: t('backoffice.servicesConfig.edit'), ariaLabel: t('backoffice.servicesConfig.editOf', { service: s.prefix }), onClick: () => edit(s) })}
      ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.servicesConfig.removeTitle', { service: s.prefix }), isBusy: ctx.actions.isBusy(`service:remove:${s.id}`), onClick: () => remove(s) })}
    </td>
  </tr>`;

  const addDepartment = (): void => {
    const firstLang = ctx.languages()[0] ?? 'cs';
    if (!dept.errors.check([required(`dept-name-${firstLang}`, dept.names[firstLang] ?? '', t('backoffice.servicesConfig.name', { lang: langName(firstLang) }))])) return ctx.update();
    previewThenWrite(ctx, {
      name: 'department:add',
      method: 'POST',
      path: '/departments',
      body: { names: namesBody(dept.names) },
      onDone: async () => {
        ctx.notice(t('backoffice.servicesConfig.departmentCreated'));
        dept.names = namesDraft(ctx, null);
        dept.errors.clear();
        await reload();
      },
      onError: (e) => {
        dept.errors.fromFailure(e, Object.fromEntries(ctx.languages().map((l) => [`names.${l}`, `dept-name-${l}`])));
        ctx.update();
      },
    });
  };

  const departmentsCard = (): TemplateResult => html`<form class="card" @submit=${onSubmit(addDepartment)} novalidate aria-labelledby="dept-title">
    <h2 id="dept-title">${t('backoffice.servicesConfig.departments')}</h2>
    <ul data-testid="departments">
      ${departments.map((x) => html`<li>${nameOf(x.names, currentLang())}</li>`)}
    </ul>
    ${dept.errors.summary()}
    <div class="cols">
      ${ctx
        .languages()
        .map((l) =>
          field({ id: `dept-name-${l}`, label: t('backoffice.servicesConfig.name', { lang: langName(l) }), value: dept.names[l] ?? '', maxlength: 120, error: dept.errors.of(`dept-name-${l}`), onInput: (v) => (dept.names[l] = v) }),
        )}
    </div>
    <div class="actions">${button({ label: t('backoffice.servicesConfig.departmentAdd'), type: 'submit', isBusy: ctx.actions.isBusy('department:add'), onClick: () => undefined })}</div>
  </form>`;

  const form = (): TemplateResult | typeof nothing => {
    const d = draft;
    if (d === null) return nothing;
    return html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="svc-form-title">
      <h2 id="svc-form-title">${d.id === null ? t('backoffice.servicesConfig.add') : t('backoffice.servicesConfig.editOf', { service: d.prefix })}</h2>
      ${d.errors.summary()}
      <div class="cols">
        ${field({ id: 'svc-prefix', label: t('backoffice.servicesConfig.prefix'), hint: t('backoffice.servicesConfig.prefixHint'), value: d.prefix, maxlength: 3, error: d.errors.of('svc-prefix'), onInput: (v) => (d.prefix = v) })}
        ${ctx
          .languages()
          .map((l) =>
            field({ id: `svc-name-${l}`, label: t('backoffice.servicesConfig.name', { lang: langName(l) }), value: d.names[l] ?? '', maxlength: 120, error: d.errors.of(`svc-name-${l}`), onInput: (v) => (d.names[l] = v) }),
          )}
        ${selectField({
          id: 'svc-department',
          label: t('backoffice.servicesConfig.department'),
          value: d.departmentId,
          options: departments.map((x) => ({ value: x.id, label: nameOf(x.names, currentLang()) })),
          error: d.errors.of('svc-department'),
          onChange: (v) => (d.departmentId = v),
        })}
        ${field({ id: 'svc-capacity', inputmode: 'numeric', label: t('backoffice.servicesConfig.capacity'), hint: t('backoffice.servicesConfig.capacityHint'), value: d.capacity, maxlength: 6, error: d.errors.of('svc-capacity'), onInput: (v) => (d.capacity = v) })}
      </div>
      ${onlineFields(d.online, d.errors, () => ctx.update())}
      <div class="actions">
        ${d.id === null ? nothing : button({ label: t('ui.cancel'), onClick: () => ((draft = blank()), ctx.update()) })}
        ${button({ label: d.id === null ? t('backoffice.servicesConfig.create') : t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('service:save'), onClick: () => undefined })}
      </div>
    </form>`;
  };

  return {
    load: reload,
    view: () => html`<section class="card" aria-labelledby="services-title">
        <h2 id="services-title">${t('backoffice.servicesConfig.list')}</h2>
        <table class="grid" data-testid="services">
          <thead>
            <tr>
              <th scope="col">${t('backoffice.servicesConfig.prefix')}</th>
              <th scope="col">${t('backoffice.servicesConfig.nameCol')}</th>
              <th scope="col">${t('backoffice.servicesConfig.department')}</th>
              <th scope="col">${t('backoffice.servicesConfig.capacity')}</th>
              <th scope="col">${t('backoffice.servicesConfig.online')}</th>
              <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${services.map(row)}
          </tbody>
        </table>
      </section>
      ${form()} ${departmentsCard()}`,
  };
}

export const servicesConfigSection: Section = { id: 'services', titleKey: 'backoffice.servicesConfig.title', role: 'admin', create };
