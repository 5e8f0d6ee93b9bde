import { html, type TemplateResult } from 'lit-html';
import { CreatedOfficeResponse } from '../../../contracts/people.ts';
import { api } from '../../shared/api.ts';
import { LANG_NAMES, LANGS, t, type Lang } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { checkboxField, FormErrors, onSubmit, required } from '../form.ts';
import { secretBox, type Secret } from '../secret.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * A new office of the install (its administrators only): name, time zone, languages, and its
 * first admin, whose one-time password is shown once (changed at the first sign-in). The office
 * starts empty; the header's picker then offers it, and its admin sets it up. POST /offices.
 */

interface Draft {
  name: string;
  id: string;
  timeZone: string;
  languages: Lang[];
  username: string;
  displayName: string;
  email: string;
}

function create(ctx: Ctx) {
  const blank = (): Draft => ({ name: '', id: '', timeZone: ctx.timeZone(), languages: ['cs'], username: '', displayName: '', email: '' });
  let draft = blank();
  let secret: Secret | null = null;
  const errors = new FormErrors('new-office-name');

  const save = (): void => {
    const d = draft;
    const found = [
      required('new-office-name', d.name, t('backoffice.offices.name')),
      required('new-office-timeZone', d.timeZone, t('backoffice.officeConfig.timeZone')),
      d.languages.length === 0 ? { fieldId: 'new-office-lang-cs', message: t('backoffice.officeConfig.oneLanguage') } : null,
      required('new-office-username', d.username, t('backoffice.offices.username')),
    ];
    if (!errors.check(found)) return ctx.update();
    const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
    const admin = Object.fromEntries(Object.entries({ username: d.username.trim(), displayName: opt(d.displayName), email: opt(d.email) }).filter(([, v]) => v !== undefined));
    const body = { name: d.name.trim(), ...(opt(d.id) === undefined ? {} : { id: opt(d.id) }), timeZone: d.timeZone.trim(), languages: d.languages, admin };
    ctx.actions.run(
      'office:add',
      async () => {
        const r = await api('POST', '/offices', CreatedOfficeResponse, body);
        errors.clear();
        draft = blank();
        if (r.admin !== null) secret = { title: t('backoffice.offices.passwordFor', { user: r.admin.user.username, office: r.office.name }), value: r.admin.password };
        ctx.notice(t('backoffice.offices.created', { office: r.office.name, id: r.office.id }));
        await ctx.officesChanged();
      },
      (e) => {
        errors.fromFailure(e, {
          name: 'new-office-name',
          id: 'new-office-id',
          timeZone: 'new-office-timeZone',
          languages: 'new-office-lang-cs',
          'admin.username': 'new-office-username',
          'admin.displayName': 'new-office-displayName',
          'admin.email': 'new-office-email',
          admin: 'new-office-username',
        });
        ctx.update();
      },
    );
  };

  const text = (key: Exclude<keyof Draft, 'languages'>, label: string, extra: { maxlength: number; hint?: string; type?: 'email' }): TemplateResult =>
    field({
      id: `new-office-${key}`,
      label,
      value: draft[key],
      maxlength: extra.maxlength,
      error: errors.of(`new-office-${key}`),
      onInput: (v) => (draft[key] = v),
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
      ...(extra.type === undefined ? {} : { type: extra.type }),
    });

  const form = (): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="new-office-title">
    <h2 id="new-office-title">${t('backoffice.offices.add')}</h2>
    <p class="hint">${t('backoffice.offices.hint')}</p>
    ${errors.summary()}
    <div class="cols">
      ${text('name', t('backoffice.offices.name'), { maxlength: 120 })} ${text('id', t('backoffice.offices.id'), { maxlength: 64, hint: t('backoffice.offices.idHint') })}
      ${text('timeZone', t('backoffice.officeConfig.timeZone'), { maxlength: 64, hint: t('backoffice.officeConfig.timeZoneHint') })}
    </div>
    <fieldset>
      <legend>${t('backoffice.officeConfig.languages')}</legend>
      <p class="hint">${t('backoffice.officeConfig.languagesHint')}</p>
      ${LANGS.map((l) =>
        checkboxField({
          id: `new-office-lang-${l}`,
          label: LANG_NAMES[l],
          checked: draft.languages.includes(l),
          error: errors.of(`new-office-lang-${l}`),
          onChange: (v) => ((draft.languages = v ? [...draft.languages.filter((x) => x !== l), l] : draft.languages.filter((x) => x !== l)), ctx.update()),
        }),
      )}
    </fieldset>
    <fieldset>
      <legend>${t('backoffice.offices.firstAdmin')}</legend>
      <div class="cols">
        ${text('username', t('backoffice.offices.username'), { maxlength: 64 })} ${text('displayName', t('backoffice.offices.displayName'), { maxlength: 120 })}
        ${text('email', t('backoffice.offices.email'), { maxlength: 254, type: 'email' })}
      </div>
    </fieldset>
    ${button({ label: t('backoffice.offices.create'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('office:add'), onClick: () => undefined })}
  </form>`;

  return {
    load: () => Promise.resolve(),
    view: () => html`${secretBox(secret, () => ((secret = null), ctx.update()))} ${form()}`,
  };
}

export const officesSection: Section = { id: 'offices', titleKey: 'backoffice.offices.title', role: 'admin', installAdminOnly: true, create };
