import { html, render } from 'lit-html';
import { z } from 'zod';
import { api, ApiFailure } from './api.ts';
import { t } from './i18n.ts';
import { errorSummary, field } from './ui.ts';

export const Me = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(['clerk', 'supervisor', 'admin']),
    officeId: z.string(),
    /** Acts on every office of the install (a host before them does not say: false). */
    isInstallAdmin: z.boolean().default(false),
    /** Signed in with a password somebody else saw: only changing it is allowed until then. */
    mustChangePassword: z.boolean().default(false),
  }),
});
export type MeT = z.infer<typeof Me>['user'];

/**
 * The signed-in staff member, or null (no session, a device cookie on this browser, or a session
 * whose one-time password is still to be replaced: signing in again leads through that).
 */
export async function whoAmI(): Promise<MeT | null> {
  try {
    const me = (await api('GET', '/auth/me', Me)).user;
    return me.mustChangePassword === true ? null : me;
  } catch (e) {
    if (e instanceof ApiFailure && e.status >= 400 && e.status < 500) return null;
    throw e;
  }
}

/** A sign-in form in `root`; resolves once the host accepted the credentials. */
export function loginForm(root: HTMLElement, title: string): Promise<MeT> {
  return new Promise((resolve) => {
    const s = { username: '', password: '', error: '', isBusy: false };
    const draw = (): void => {
      render(view(), root);
    };
    const submit = (e: Event): void => {
      e.preventDefault();
      if (s.isBusy) return;
      s.isBusy = true;
      s.error = '';
      draw();
      const typed = s.password;
      api('POST', '/auth/login', Me, { username: s.username, password: typed }).then(
        (r) => (r.user.mustChangePassword === true ? resolve(choosePassword(root, r.user, typed)) : resolve(r.user)),
        (err: unknown) => {
          s.isBusy = false;
          s.error = err instanceof Error ? err.message : String(err);
          s.password = '';
          draw();
        },
      );
    };
    const view = (): unknown => html`<form class="login card" @submit=${submit}>
      <h1>${title}</h1>
      ${errorSummary(t('ui.errorSummary'), s.error === '' ? [] : [{ fieldId: 'password', message: s.error }])}
      ${field({ id: 'username', label: t('ui.username'), value: s.username, autocomplete: 'username', isRequired: true, onInput: (v) => (s.username = v) })}
      ${field({ id: 'password', type: 'password', label: t('ui.password'), value: s.password, autocomplete: 'current-password', isRequired: true, onInput: (v) => (s.password = v) })}
      <button type="submit" class="primary" ?disabled=${s.isBusy} aria-busy=${s.isBusy ? 'true' : 'false'}>${t('ui.signIn')}</button>
    </form>`;
    draw();
    document.getElementById('username')?.focus();
  });
}

/** After a one-time password: the user chooses their own before anything else. */
function choosePassword(root: HTMLElement, me: MeT, current: string): Promise<MeT> {
  return new Promise((resolve) => {
    const s = { password: '', repeat: '', error: '', isBusy: false };
    const draw = (): void => {
      render(view(), root);
    };
    const submit = (e: Event): void => {
      e.preventDefault();
      if (s.isBusy) return;
      if (s.password !== s.repeat) {
        s.error = t('ui.passwordsDiffer');
        draw();
        return;
      }
      s.isBusy = true;
      s.error = '';
      draw();
      api('POST', '/auth/password', OkSchema, { currentPassword: current, newPassword: s.password }).then(
        () => resolve({ ...me, mustChangePassword: false }),
        (err: unknown) => {
          s.isBusy = false;
          s.error = err instanceof Error ? err.message : String(err);
          draw();
        },
      );
    };
    const view = (): unknown => html`<form class="login card" @submit=${submit}>
      <h1>${t('ui.choosePassword')}</h1>
      <p>${t('ui.choosePasswordIntro')}</p>
      ${errorSummary(t('ui.errorSummary'), s.error === '' ? [] : [{ fieldId: 'new-password', message: s.error }])}
      ${field({ id: 'new-password', type: 'password', label: t('ui.newPassword'), value: s.password, autocomplete: 'new-password', isRequired: true, onInput: (v) => (s.password = v) })}
      ${field({ id: 'new-password-repeat', type: 'password', label: t('ui.newPasswordRepeat'), value: s.repeat, autocomplete: 'new-password', isRequired: true, onInput: (v) => (s.repeat = v) })}
      <button type="submit" class="primary" ?disabled=${s.isBusy} aria-busy=${s.isBusy ? 'true' : 'false'}>${t('ui.savePassword')}</button>
    </form>`;
    draw();
    document.getElementById('new-password')?.focus();
  });
}

const OkSchema = z.object({ ok: z.literal(true) });

export async function logout(): Promise<void> {
  await fetch('/api/v1/auth/logout', { method: 'POST' });
}
