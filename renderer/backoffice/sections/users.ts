import { html, nothing, type TemplateResult } from 'lit-html';
import { ROLES, UserResponse, UsersResponse, UserWithPasswordResponse, type UserViewT } from '../../../contracts/people.ts';
import { api } from '../../shared/api.ts';
import { t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { FormErrors, onSubmit, required, selectField } from '../form.ts';
import { secretBox, type Secret } from '../secret.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office's staff (admins): the list; a new user (their password generated and shown once, to
 * be changed at the first sign-in); role, name and e-mail changed; a password reset (shown once);
 * disabling (their sessions end at once, after a confirm) and enabling.
 */

type Role = (typeof ROLES)[number];
const asRole = (v: string): Role => ROLES.find((r) => r === v) ?? 'clerk';
const roleOptions = () => ROLES.map((r) => ({ value: r, label: t(`backoffice.users.roles.${r}`) }));

function create(ctx: Ctx) {
  let users: UserViewT[] = [];
  let secret: Secret | null = null;
  const draft = { username: '', displayName: '', role: 'clerk' as Role, email: '' };
  const createErrors = new FormErrors('user-username');
  let editing: { user: UserViewT; role: Role; displayName: string; email: string; errors: FormErrors } | null = null;
  const path = (): string => `/offices/${ctx.officeId()}/users`;

  const reload = async (): Promise<void> => {
    users = (await api('GET', path(), UsersResponse)).users;
    ctx.update();
  };

  const add = (): void => {
    if (!createErrors.check([required('user-username', draft.username, t('backoffice.users.username'))])) return ctx.update();
    const body = {
      username: draft.username.trim(),
      role: draft.role,
      ...(draft.displayName.trim() === '' ? {} : { displayName: draft.displayName.trim() }),
      ...(draft.email.trim() === '' ? {} : { email: draft.email.trim() }),
    };
    ctx.actions.run(
      'user:add',
      async () => {
        const r = await api('POST', path(), UserWithPasswordResponse.partial({ password: true }), body);
        Object.assign(draft, { username: '', displayName: '', role: 'clerk', email: '' });
        createErrors.clear();
        secret = r.password === undefined ? null : { title: t('backoffice.users.passwordFor', { user: r.user.username }), value: r.password };
        ctx.notice(t('backoffice.users.created', { user: r.user.username }));
        await reload();
      },
      (e) => {
        createErrors.fromFailure(e, { username: 'user-username', displayName: 'user-displayName', role: 'user-role', email: 'user-email' });
        ctx.update();
      },
    );
  };

  const saveEdit = (): void => {
    const ed = editing;
    if (ed === null) return;
    if (!ed.errors.check([required('edit-displayName', ed.displayName, t('backoffice.users.displayName'))])) return ctx.update();
    const email = ed.email.trim() === '' ? null : ed.email.trim();
    const body = {
      ...(ed.role === ed.user.role ? {} : { role: ed.role }),
      ...(ed.displayName.trim() === ed.user.displayName ? {} : { displayName: ed.displayName.trim() }),
      ...(email === ed.user.email ? {} : { email }),
    };
    if (Object.keys(body).length === 0) {
      editing = null;
      return ctx.notice(t('backoffice.nothingChanged'));
    }
    ctx.actions.run(
      'user:edit',
      async () => {
        await api('PATCH', `${path()}/${ed.user.id}`, UserResponse, body);
        editing = null;
        ctx.notice(t('backoffice.saved'));
        await reload();
      },
      (e) => {
        ed.errors.fromFailure(e, { role: 'edit-role', displayName: 'edit-displayName', email: 'edit-email' });
        ctx.update();
      },
    );
  };

  const resetPassword = (u: UserViewT): void =>
    ctx.confirm({
      title: t('backoffice.users.resetTitle', { user: u.username }),
      body: t('backoffice.users.resetBody'),
      confirmLabel: t('backoffice.users.reset'),
      onConfirm: () =>
        ctx.actions.run(
          `user:reset:${u.id}`,
          async () => {
            const r = await api('POST', `${path()}/${u.id}/reset-password`, UserWithPasswordResponse);
            secret = { title: t('backoffice.users.passwordFor', { user: r.user.username }), value: r.password };
            await reload();
          },
          (e) => ctx.problem(e),
        ),
    });

  const setEnabled = (u: UserViewT, enable: boolean): void => {
    const go = (): void =>
      ctx.actions.run(
        `user:able:${u.id}`,
        async () => {
          await api('POST', `${path()}/${u.id}/${enable ? 'enable' : 'disable'}`, UserResponse);
          ctx.notice(t(enable ? 'backoffice.users.enabled' : 'backoffice.users.disabled', { user: u.username }));
          await reload();
        },
        (e) => ctx.problem(e),
      );
    if (enable) return go();
    ctx.confirm({ title: t('backoffice.users.disableTitle', { user: u.username }), body: t('backoffice.users.disableBody'), confirmLabel: t('backoffice.users.disable'), onConfirm: go });
  };

  const stateOf = (u: UserViewT): string =>
    u.disabledAt !== null ? t('backoffice.users.states.disabled') : u.mustChangePassword ? t('backoffice.users.states.mustChange') : t('backoffice.users.states.active');

  const editForm = (): TemplateResult | typeof nothing => {
    const ed = editing;
    if (ed === null) return nothing;
    return html`<form class="card" @submit=${onSubmit(saveEdit)} novalidate aria-labelledby="edit-title">
      <h2 id="edit-title">${t('backoffice.users.editTitle', { user: ed.user.username })}</h2>
      ${ed.errors.summary()}
      <div class="cols">
        ${field({ id: 'edit-displayName', label: t('backoffice.users.displayName'), value: ed.displayName, maxlength: 80, error: ed.errors.of('edit-displayName'), onInput: (v) => (ed.displayName = v) })}
        ${selectField({ id: 'edit-role', label: t('backoffice.users.role'), value: ed.role, options: roleOptions(), error: ed.errors.of('edit-role'), onChange: (v) => (ed.role = asRole(v)) })}
        ${field({ id: 'edit-email', type: 'email', label: t('backoffice.users.email'), hint: t('backoffice.users.emailHint'), value: ed.email, maxlength: 254, error: ed.errors.of('edit-email'), onInput: (v) => (ed.email = v) })}
      </div>
      <div class="actions">
        ${button({ label: t('ui.cancel'), onClick: () => ((editing = null), ctx.update()) })}
        ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('user:edit'), onClick: () => undefined })}
      </div>
    </form>`;
  };

  const row = (u: UserViewT): TemplateResult => html`<tr data-user=${u.username} class=${u.disabledAt === null ? '' : 'disabled'}>
    <th scope="row">${u.username}</th>
    <td>${u.displayName}</td>
    <td>${t(`backoffice.users.roles.${u.role}`)}${u.isInstallAdmin ? html` · ${t('backoffice.users.installAdmin')}` : nothing}</td>
    <td>${u.email ?? t('ui.none')}</td>
    <td data-testid="user-state">${stateOf(u)}</td>
    <td class="act">
      ${button({
        label: t('backoffice.users.edit'),
        ariaLabel: t('backoffice.users.editTitle', { user: u.username }),
        onClick: () => {
          editing = { user: u, role: u.role, displayName: u.displayName, email: u.email ?? '', errors: new FormErrors('edit-displayName') };
          ctx.update();
          queueMicrotask(() => document.getElementById('edit-displayName')?.focus());
        },
      })}
      ${button({ label: t('backoffice.users.reset'), ariaLabel: t('backoffice.users.resetTitle', { user: u.username }), isBusy: ctx.actions.isBusy(`user:reset:${u.id}`), onClick: () => resetPassword(u) })}
      ${u.id === ctx.me.id
        ? nothing
        : button({
            label: t(u.disabledAt === null ? 'backoffice.users.disable' : 'backoffice.users.enable'),
            ariaLabel: t(u.disabledAt === null ? 'backoffice.users.disableTitle' : 'backoffice.users.enableOf', { user: u.username }),
            isBusy: ctx.actions.isBusy(`user:able:${u.id}`),
            onClick: () => setEnabled(u, u.disabledAt !== null),
          })}
    </td>
  </tr>`;

  return {
    load: reload,
    view: () => html`${secretBox(secret, () => ((secret = null), ctx.update()))}
      <section class="card" aria-labelledby="users-title">
        <h2 id="users-title">${t('backoffice.users.list')}</h2>
        <table class="grid" data-testid="users">
          <thead>
            <tr>
              <th scope="col">${t('backoffice.users.username')}</th>
              <th scope="col">${t('backoffice.users.displayName')}</th>
              <th scope="col">${t('backoffice.users.role')}</th>
              <th scope="col">${t('backoffice.users.email')}</th>
              <th scope="col">${t('backoffice.users.state')}</th>
              <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${users.map(row)}
          </tbody>
        </table>
      </section>
      ${editForm()}
      <form class="card" @submit=${onSubmit(add)} novalidate aria-labelledby="user-add-title">
        <h2 id="user-add-title">${t('backoffice.users.add')}</h2>
        <p class="hint">${t('backoffice.users.addIntro')}</p>
        ${createErrors.summary()}
        <div class="cols">
          ${field({ id: 'user-username', label: t('backoffice.users.username'), value: draft.username, maxlength: 64, autocomplete: 'off', error: createErrors.of('user-username'), onInput: (v) => (draft.username = v) })}
          ${field({ id: 'user-displayName', label: t('backoffice.users.displayName'), value: draft.displayName, maxlength: 80, error: createErrors.of('user-displayName'), onInput: (v) => (draft.displayName = v) })}
          ${selectField({ id: 'user-role', label: t('backoffice.users.role'), value: draft.role, options: roleOptions(), error: createErrors.of('user-role'), onChange: (v) => (draft.role = asRole(v)) })}
          ${field({ id: 'user-email', type: 'email', label: t('backoffice.users.email'), hint: t('backoffice.users.emailHint'), value: draft.email, maxlength: 254, error: createErrors.of('user-email'), onInput: (v) => (draft.email = v) })}
        </div>
        ${button({ label: t('backoffice.users.create'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('user:add'), onClick: () => undefined })}
      </form>`,
  };
}

export const usersSection: Section = { id: 'users', titleKey: 'backoffice.users.title', role: 'admin', create };
