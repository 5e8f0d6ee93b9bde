import { html, nothing, type TemplateResult } from 'lit-html';
import { MAX_PRIORITY_CATEGORIES, type FairnessT } from '../../../contracts/office-config.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field, type FieldError } from '../../shared/ui.ts';
import { langName, loadConfig, nameOf, namesBody, namesDraft, saveForm } from '../config-write.ts';
import { checkboxField, FormErrors, numberIn, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * How the queue treats people (admins): the longest wait before a walk-in goes ahead, the recalls
 * allowed, the service time assumed before any was measured, and the priority categories the
 * kiosk offers (an id, a weight — higher goes first — and a name per language), and whether
 * clients may rate a finished visit and booked ones are asked to by message. Saved whole
 * (PUT /offices/:id/fairness); a category is added, edited in place, or removed here.
 */

interface CategoryDraft {
  /** The id as read; null for a category added on this page (its id is typed). */
  savedId: string | null;
  id: string;
  weight: string;
  names: Record<string, string>;
}

interface Draft {
  maxWaitMin: string;
  maxRecalls: string;
  defaultServiceMin: string;
  categories: CategoryDraft[];
  ratings: boolean;
  ratingMessage: boolean;
}

const NUMBERS = [
  ['fair-maxWait', 'maxWaitMin', 0, 600],
  ['fair-maxRecalls', 'maxRecalls', 0, 10],
  ['fair-defaultService', 'defaultServiceMin', 1, 240],
] as const;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function create(ctx: Ctx) {
  let draft: Draft | null = null;
  const errors = new FormErrors('fair-maxWait');

  const toDraft = (f: FairnessT): Draft => ({
    maxWaitMin: String(f.maxWaitMin),
    maxRecalls: String(f.maxRecalls),
    defaultServiceMin: String(f.defaultServiceMin),
    categories: f.priorityCategories.map((c) => ({ savedId: c.id, id: c.id, weight: String(c.weight), names: namesDraft(ctx, c.names) })),
    // The contract's defaults when absent: ratings taken, no message asking for them.
    ratings: f.ratings !== false,
    ratingMessage: f.ratingMessage === true,
  });

  const reload = async (): Promise<void> => {
    draft = toDraft((await loadConfig(ctx)).fairness);
    ctx.update();
  };

  const categoryErrors = (d: Draft): (FieldError | null)[] =>
    d.categories.flatMap((c, i) => [
      ID_PATTERN.test(c.id.trim()) ? null : { fieldId: `fair-cat${i}-id`, message: t('backoffice.fairness.idBad') },
      d.categories.findIndex((x) => x.id.trim() === c.id.trim()) === i ? null : { fieldId: `fair-cat${i}-id`, message: t('backoffice.fairness.idTwice') },
      numberIn(`fair-cat${i}-weight`, c.weight, t('backoffice.fairness.weight'), 1, 100),
      Object.keys(namesBody(c.names)).length > 0 ? null : { fieldId: `fair-cat${i}-name-${ctx.languages()[0] ?? 'cs'}`, message: t('backoffice.fairness.nameNeeded') },
    ]);

  const save = (): void => {
    const d = draft;
    if (d === null) return;
    if (!errors.check([...NUMBERS.map(([id, key, min, max]) => numberIn(id, d[key], t(`backoffice.fairness.${key}`), min, max)), ...categoryErrors(d)])) return ctx.update();
    const body: FairnessT = {
      maxWaitMin: Number(d.maxWaitMin),
      maxRecalls: Number(d.maxRecalls),
      defaultServiceMin: Number(d.defaultServiceMin),
      priorityCategories: d.categories.map((c) => ({ id: c.id.trim(), weight: Number(c.weight), names: namesBody(c.names) })),
      ratings: d.ratings,
      ratingMessage: d.ratingMessage,
    };
    saveForm(ctx, {
      name: 'fairness:save',
      method: 'PUT',
      path: '/fairness',
      body,
      errors,
      reload,
      fields: {
        ...Object.fromEntries(NUMBERS.map(([id, key]) => [key, id])),
        ratings: 'fair-ratings',
        ratingMessage: 'fair-ratingMessage',
        priorityCategories: 'fair-add',
        ...Object.fromEntries(
          d.categories.flatMap((_, i) => [
            [`priorityCategories.${i}`, `fair-cat${i}-id`],
            [`priorityCategories.${i}.weight`, `fair-cat${i}-weight`],
            [`priorityCategories.${i}.names`, `fair-cat${i}-name-${ctx.languages()[0] ?? 'cs'}`],
          ]),
        ),
      },
    });
  };

  const add = (d: Draft): void => {
    d.categories = [...d.categories, { savedId: null, id: '', weight: '10', names: namesDraft(ctx, null) }];
    ctx.update();
    const i = d.categories.length - 1;
    setTimeout(() => document.getElementById(`fair-cat${i}-id`)?.focus(), 0);
  };

  const remove = (d: Draft, i: number): void => {
    d.categories = d.categories.filter((_, j) => j !== i);
    ctx.update();
    // The focus stays in the list: on the next category's remove button, or on "add".
    setTimeout(() => (document.getElementById(`fair-cat${Math.min(i, d.categories.length - 1)}-remove`) ?? document.getElementById('fair-add'))?.focus(), 0);
  };

  const category = (d: Draft, c: CategoryDraft, i: number): TemplateResult => {
    const label = nameOf(namesBody(c.names), currentLang()) || c.id || String(i + 1);
    return html`<fieldset class="category" data-category=${c.id}>
      <legend>${t('backoffice.fairness.categoryOf', { category: label })}</legend>
      <div class="cols">
        ${c.savedId === null
          ? field({ id: `fair-cat${i}-id`, label: t('backoffice.fairness.id'), hint: t('backoffice.fairness.idHint'), value: c.id, maxlength: 64, error: errors.of(`fair-cat${i}-id`), onInput: (v) => (c.id = v) })
          : // Tickets and bookings name a category by its id: a saved one keeps it.
            html`<div class="field">
              <p class="label">${t('backoffice.fairness.id')}</p>
              <p><code id=${`fair-cat${i}-id`} tabindex="-1">${c.id}</code></p>
            </div>`}
        ${field({ id: `fair-cat${i}-weight`, inputmode: 'numeric', label: t('backoffice.fairness.weight'), hint: t('backoffice.fairness.weightHint'), value: c.weight, maxlength: 3, error: errors.of(`fair-cat${i}-weight`), onInput: (v) => (c.weight = v) })}
        ${ctx.languages().map((l) =>
          field({ id: `fair-cat${i}-name-${l}`, label: t('backoffice.fairness.name', { lang: langName(l) }), value: c.names[l] ?? '', maxlength: 120, error: errors.of(`fair-cat${i}-name-${l}`), onInput: (v) => (c.names[l] = v) }),
        )}
      </div>
      ${button({ id: `fair-cat${i}-remove`, label: t('backoffice.remove'), ariaLabel: t('backoffice.fairness.removeOf', { category: label }), onClick: () => remove(d, i) })}
    </fieldset>`;
  };

  const form = (d: Draft): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="fair-title">
    <h2 id="fair-title">${t('backoffice.fairness.queue')}</h2>
    ${errors.summary()}
    <div class="cols">
      ${NUMBERS.map(([id, key]) => field({ id, inputmode: 'numeric', label: t(`backoffice.fairness.${key}`), hint: t(`backoffice.fairness.${key}Hint`), value: d[key], maxlength: 3, error: errors.of(id), onInput: (v) => (d[key] = v) }))}
    </div>
    <h3>${t('backoffice.fairness.ratingsTitle')}</h3>
    ${checkboxField({ id: 'fair-ratings', label: t('backoffice.fairness.ratings'), hint: t('backoffice.fairness.ratingsHint'), checked: d.ratings, onChange: (v) => ((d.ratings = v), ctx.update()) })}
    ${checkboxField({ id: 'fair-ratingMessage', label: t('backoffice.fairness.ratingMessage'), hint: t('backoffice.fairness.ratingMessageHint'), checked: d.ratingMessage, onChange: (v) => ((d.ratingMessage = v), ctx.update()) })}
    <h3>${t('backoffice.fairness.categories')}</h3>
    <p class="hint">${t('backoffice.fairness.categoriesHint')}</p>
    ${d.categories.length === 0 ? html`<p>${t('backoffice.fairness.noCategories')}</p>` : nothing} ${d.categories.map((c, i) => category(d, c, i))}
    <div class="actions">
      ${button({ id: 'fair-add', label: t('backoffice.fairness.add'), isDisabled: d.categories.length >= MAX_PRIORITY_CATEGORIES, onClick: () => add(d) })}
      ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('fairness:save'), onClick: () => undefined })}
    </div>
  </form>`;

  return { load: reload, view: () => (draft === null ? nothing : form(draft)) };
}

export const fairnessSection: Section = { id: 'fairness', titleKey: 'backoffice.fairness.title', role: 'admin', create };
