import { html } from 'lit-html';
import { DisplaySettingsResponse } from '../../../contracts/display.ts';
import { api } from '../../shared/api.ts';
import { isLang, LANG_NAMES, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { checkboxField, FormErrors, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/** The hall display's voice: which of the office's languages a call is announced in, in which order. */

const nameOf = (l: string): string => (isLang(l) ? LANG_NAMES[l] : l);

function create(ctx: Ctx) {
  /** Every office language in the order spoken (the spoken ones first), each with whether it is spoken. */
  let rows: { lang: string; isSpoken: boolean }[] = [];
  const errors = new FormErrors('voice-0');

  const fill = (spoken: readonly string[]): void => {
    rows = [...spoken.map((lang) => ({ lang, isSpoken: true })), ...ctx.languages().filter((l) => !spoken.includes(l)).map((lang) => ({ lang, isSpoken: false }))];
  };

  const move = (i: number, by: -1 | 1): void => {
    const j = i + by;
    const a = rows[i];
    const b = rows[j];
    if (a === undefined || b === undefined) return;
    rows[i] = b;
    rows[j] = a;
    ctx.update();
    // The focus follows the language moved.
    queueMicrotask(() => {
      const same = document.getElementById(`voice-${by < 0 ? 'up' : 'down'}-${j}`) as HTMLButtonElement | null;
      (same !== null && !same.disabled ? same : document.getElementById(`voice-${j}`))?.focus();
    });
  };

  const save = (): void => {
    const voiceLanguages = rows.filter((r) => r.isSpoken).map((r) => r.lang);
    if (!errors.check([voiceLanguages.length === 0 ? { fieldId: 'voice-0', message: t('backoffice.display.atLeastOne') } : null])) return ctx.update();
    ctx.actions.run(
      'display:save',
      async () => {
        const r = await api('PUT', `/offices/${ctx.officeId()}/display-settings`, DisplaySettingsResponse, { voiceLanguages });
        fill(r.voiceLanguages);
        errors.clear();
        ctx.notice(t('backoffice.saved'));
      },
      (e) => {
        errors.fromFailure(e, { voiceLanguages: 'voice-0' });
        ctx.update();
      },
    );
  };

  return {
    async load() {
      fill((await api('GET', `/offices/${ctx.officeId()}/display-settings`, DisplaySettingsResponse)).voiceLanguages);
      ctx.update();
    },
    view: () => html`<form class="card" @submit=${onSubmit(save)} novalidate>
      <p class="hint">${t('backoffice.display.intro')}</p>
      ${errors.summary()}
      <fieldset>
        <legend>${t('backoffice.display.voice')}</legend>
        <ol class="orderable">
          ${rows.map(
            (r, i) => html`<li>
              ${checkboxField({
                id: `voice-${i}`,
                label: nameOf(r.lang),
                checked: r.isSpoken,
                error: i === 0 ? errors.of('voice-0') : undefined,
                onChange: (v) => {
                  r.isSpoken = v;
                  ctx.update();
                },
              })}
              ${button({ id: `voice-up-${i}`, label: '↑', ariaLabel: t('backoffice.moveUp', { item: nameOf(r.lang) }), isDisabled: i === 0, onClick: () => move(i, -1) })}
              ${button({ id: `voice-down-${i}`, label: '↓', ariaLabel: t('backoffice.moveDown', { item: nameOf(r.lang) }), isDisabled: i === rows.length - 1, onClick: () => move(i, 1) })}
            </li>`,
          )}
        </ol>
      </fieldset>
      ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('display:save'), onClick: () => undefined })}
    </form>`,
  };
}

export const displaySection: Section = { id: 'display', titleKey: 'backoffice.display.title', role: 'admin', create };
