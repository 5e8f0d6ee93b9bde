import { z } from 'zod';
import { api, ApiFailure } from './api.ts';
import { el, t } from './i18n.ts';

export const Me = z.object({
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(['clerk', 'supervisor', 'admin']), officeId: z.string() }),
});
export type MeT = z.infer<typeof Me>['user'];

/** The signed-in staff member, or null (no session, or a device cookie on this browser). */
export async function whoAmI(): Promise<MeT | null> {
  try {
    return (await api('GET', '/auth/me', Me)).user;
  } catch (e) {
    if (e instanceof ApiFailure && e.status >= 400 && e.status < 500) return null;
    throw e;
  }
}

/** A sign-in form; resolves once the host accepted the credentials. Enter submits, the first field has focus. */
export function loginForm(root: HTMLElement, title: string): Promise<MeT> {
  return new Promise((resolve) => {
    const user = el('input', { name: 'username', autocomplete: 'username', required: true, id: 'username' }) as HTMLInputElement;
    const pass = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, id: 'password' }) as HTMLInputElement;
    const status = el('p', { role: 'alert', class: 'error' });
    const form = el('form', { class: 'login card' }, [
      el('h1', {}, [title]),
      el('label', { for: 'username' }, [t('ui.username')]),
      user,
      el('label', { for: 'password' }, [t('ui.password')]),
      pass,
      el('button', { type: 'submit', class: 'primary' }, [t('ui.signIn')]),
      status,
    ]) as HTMLFormElement;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      status.textContent = '';
      api('POST', '/auth/login', Me, { username: user.value, password: pass.value }).then(
        (r) => resolve(r.user),
        (err: unknown) => {
          status.textContent = err instanceof Error ? err.message : String(err);
          pass.select();
        },
      );
    });
    root.replaceChildren(form);
    user.focus();
  });
}

export async function logout(): Promise<void> {
  await fetch('/api/v1/auth/logout', { method: 'POST' });
}
