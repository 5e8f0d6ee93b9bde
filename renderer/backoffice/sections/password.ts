import { html, nothing } from 'lit-html';
import { z } from 'zod';
import { ChangePasswordBody } from '../../../contracts/people.ts';
import { api } from '../../shared/api.ts';
import { t } from '../../shared/i18n.ts';
import { button, field, type FieldError } from '../../shared/ui.ts';
import { FormErrors, onSubmit, required } from '../form.ts';
import { PASSWORD_SECTION, type Ctx, type Section } from '../section.ts';

/** Everyone's own password: the current one, the new one twice. Their other sessions end. */

const MIN_LENGTH = ChangePasswordBody.shape.newPassword.minLength ?? 10;

function create(ctx: Ctx) {
  const s = { current: '', next: '', repeat: '' };
  const errors = new FormErrors('pw-current');

  const save = (): void => {
    const checks: (FieldError | null)[] = [
      required('pw-current', s.current, t('backoffice.password.current')),
      s.next.length < MIN_LENGTH ? { fieldId: 'pw-new', message: t('backoffice.password.tooShort', { count: MIN_LENGTH }) } : null,
      s.repeat !== s.next ? { fieldId: 'pw-repeat', message: t('backoffice.password.mismatch') } : null,
    ];
    if (!errors.check(checks)) return ctx.update();
    ctx.actions.run(
      'password',
      async () => {
        await api('POST', '/auth/password', z.object({ ok: z.literal(true) }), { currentPassword: s.current, newPassword: s.next });
        Object.assign(s, { current: '', next: '', repeat: '' });
        errors.clear();
        ctx.passwordChanged();
        ctx.notice(t('backoffice.password.changed'));
      },
      (e) => {
        errors.fromFailure(e, { currentPassword: 'pw-current', newPassword: 'pw-new' });
        ctx.update();
      },
    );
  };

  return {
    load: () => Promise.resolve(),
    view: () => html`<form class="card narrow" @submit=${onSubmit(save)} novalidate aria-label=${t('backoffice.password.title')}>
      ${ctx.me.mustChangePassword ? html`<p class="must">${t('backoffice.password.mustChange')}</p>` : nothing}
      ${errors.summary()}
      <input type="text" name="username" autocomplete="username" value=${ctx.me.username} hidden />
      ${field({ id: 'pw-current', type: 'password', label: t('backoffice.password.current'), autocomplete: 'current-password', value: s.current, error: errors.of('pw-current'), onInput: (v) => (s.current = v) })}
      ${field({ id: 'pw-new', type: 'password', label: t('backoffice.password.new'), hint: t('backoffice.password.hint', { count: MIN_LENGTH }), autocomplete: 'new-password', value: s.next, error: errors.of('pw-new'), onInput: (v) => (s.next = v) })}
      ${field({ id: 'pw-repeat', type: 'password', label: t('backoffice.password.repeat'), autocomplete: 'new-password', value: s.repeat, error: errors.of('pw-repeat'), onInput: (v) => (s.repeat = v) })}
      ${button({ label: t('backoffice.password.change'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('password'), onClick: () => undefined })}
    </form>`,
  };
}

export const passwordSection: Section = { id: PASSWORD_SECTION, titleKey: 'backoffice.password.title', role: 'staff', create };
