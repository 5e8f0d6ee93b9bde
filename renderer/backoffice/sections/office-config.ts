import { html, nothing, type TemplateResult } from 'lit-html';
import type { OfficeProfileT } from '../../../contracts/office-config.ts';
import { LANG_NAMES, LANGS as LANGUAGES, t, type Lang } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { loadConfig, namesBody, saveForm } from '../config-write.ts';
import { checkboxField, FormErrors, onSubmit, required } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * The office itself (admins): its name in each language, time zone, the languages it offers,
 * address and public contact (the privacy page names the data controller). PATCH /offices/:id.
 */

interface Draft {
  names: Record<string, string>;
  timeZone: string;
  languages: Lang[];
  street: string;
  postalCode: string;
  city: string;
  country: string;
  phone: string;
  email: string;
  web: string;
  dataController: string;
}

const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
const defined = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));

function create(ctx: Ctx) {
  let draft: Draft | null = null;
  let voiceLanguages: Lang[] = [];
  const errors = new FormErrors('office-timeZone');

  const toDraft = (o: OfficeProfileT): Draft => ({
    names: Object.fromEntries(LANGUAGES.map((l) => [l, o.names[l] ?? ''])),
    timeZone: o.timeZone,
    languages: [...o.languages],
    street: o.address?.lines.join(', ') ?? '',
    postalCode: o.address?.postalCode ?? '',
    city: o.address?.city ?? '',
    country: o.address?.country ?? '',
    phone: o.contact?.phone ?? '',
    email: o.contact?.email ?? '',
    web: o.contact?.web ?? '',
    dataController: o.contact?.dataController ?? '',
  });

  const reload = async (): Promise<void> => {
    const o = (await loadConfig(ctx)).office;
    draft = toDraft(o);
    voiceLanguages = [...o.voiceLanguages];
    ctx.update();
  };

  const save = (): void => {
    const d = draft;
    if (d === null) return;
    if (!errors.check([required('office-timeZone', d.timeZone, t('backoffice.officeConfig.timeZone')), d.languages.length === 0 ? { fieldId: 'office-lang-cs', message: t('backoffice.officeConfig.oneLanguage') } : null]))
      return ctx.update();
    const hasAddress = d.street.trim() !== '' || d.city.trim() !== '';
    const hasContact = d.dataController.trim() !== '' || d.phone.trim() !== '' || d.email.trim() !== '' || d.web.trim() !== '';
    // The hall display speaks only languages the office offers: the ones dropped from it go.
    const voice = voiceLanguages.filter((l) => d.languages.includes(l));
    const body = {
      names: namesBody(d.names),
      timeZone: d.timeZone.trim(),
      languages: d.languages,
      voiceLanguages: voice.length > 0 ? voice : d.languages.slice(0, 1),
      address: hasAddress ? { lines: [d.street.trim()], ...defined({ postalCode: opt(d.postalCode) }), city: d.city.trim(), country: d.country.trim().toUpperCase() } : null,
      contact: hasContact ? { ...defined({ phone: opt(d.phone), email: opt(d.email), web: opt(d.web) }), dataController: d.dataController.trim() } : null,
    };
    saveForm(ctx, {
      name: 'office:save',
      method: 'PATCH',
      path: '',
      body,
      errors,
      reload,
      fields: {
        ...Object.fromEntries(LANGUAGES.map((l) => [`names.${l}`, `office-name-${l}`])),
        names: 'office-name-cs',
        timeZone: 'office-timeZone',
        languages: 'office-lang-cs',
        voiceLanguages: 'office-lang-cs',
        'address.lines': 'office-street',
        'address.postalCode': 'office-postalCode',
        'address.city': 'office-city',
        'address.country': 'office-country',
        address: 'office-street',
        'contact.phone': 'office-phone',
        'contact.email': 'office-email',
        'contact.web': 'office-web',
        'contact.dataController': 'office-dataController',
        contact: 'office-dataController',
      },
    });
  };

  const text = (d: Draft, key: Exclude<keyof Draft, 'names' | 'languages'>, label: string, extra: { maxlength?: number; type?: 'email'; hint?: string } = {}): TemplateResult =>
    field({ id: `office-${key}`, label, value: d[key], error: errors.of(`office-${key}`), onInput: (v) => (d[key] = v), maxlength: extra.maxlength ?? 120, ...(extra.type === undefined ? {} : { type: extra.type }), ...(extra.hint === undefined ? {} : { hint: extra.hint }) });

  const form = (d: Draft): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="office-title">
    <h2 id="office-title">${t('backoffice.officeConfig.profile')}</h2>
    ${errors.summary()}
    <div class="cols">
      ${LANGUAGES.map((l) => field({ id: `office-name-${l}`, label: t('backoffice.officeConfig.name', { lang: LANG_NAMES[l] }), value: d.names[l] ?? '', maxlength: 120, error: errors.of(`office-name-${l}`), onInput: (v) => (d.names[l] = v) }))}
      ${text(d, 'timeZone', t('backoffice.officeConfig.timeZone'), { maxlength: 64, hint: t('backoffice.officeConfig.timeZoneHint') })}
    </div>
    <fieldset>
      <legend>${t('backoffice.officeConfig.languages')}</legend>
      <p class="hint">${t('backoffice.officeConfig.languagesHint')}</p>
      ${LANGUAGES.map((l) =>
        checkboxField({
          id: `office-lang-${l}`,
          label: LANG_NAMES[l],
          checked: d.languages.includes(l),
          error: errors.of(`office-lang-${l}`),
          onChange: (v) => ((d.languages = v ? [...d.languages.filter((x) => x !== l), l] : d.languages.filter((x) => x !== l)), ctx.update()),
        }),
      )}
    </fieldset>
    <fieldset>
      <legend>${t('backoffice.officeConfig.address')}</legend>
      <div class="cols">
        ${text(d, 'street', t('backoffice.officeConfig.street'))} ${text(d, 'postalCode', t('backoffice.officeConfig.postalCode'), { maxlength: 20 })}
        ${text(d, 'city', t('backoffice.officeConfig.city'), { maxlength: 80 })} ${text(d, 'country', t('backoffice.officeConfig.country'), { maxlength: 2 })}
      </div>
    </fieldset>
    <fieldset>
      <legend>${t('backoffice.officeConfig.contact')}</legend>
      <div class="cols">
        ${text(d, 'phone', t('backoffice.officeConfig.phone'), { maxlength: 40 })} ${text(d, 'email', t('backoffice.officeConfig.email'), { maxlength: 254, type: 'email' })}
        ${text(d, 'web', t('backoffice.officeConfig.web'), { maxlength: 300 })} ${text(d, 'dataController', t('backoffice.officeConfig.dataController'), { maxlength: 300, hint: t('backoffice.officeConfig.dataControllerHint') })}
      </div>
    </fieldset>
    ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('office:save'), onClick: () => undefined })}
  </form>`;

  return { load: reload, view: () => (draft === null ? nothing : form(draft)) };
}

export const officeConfigSection: Section = { id: 'office', titleKey: 'backoffice.officeConfig.title', role: 'admin', create };
