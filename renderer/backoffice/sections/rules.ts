import { html, nothing, type TemplateResult } from 'lit-html';
import { ServiceRulesResponse, type ServiceRulesT } from '../../../contracts/rules.ts';
import { api } from '../../shared/api.ts';
import { isLang, LANG_NAMES, t } from '../../shared/i18n.ts';
import { button, field, type FieldError } from '../../shared/ui.ts';
import { checkboxField, FormErrors, onSubmit, required, selectField, wholeNumber } from '../form.ts';
import type { Ctx, Section } from '../section.ts';
import { loadServices, servicePicker, type ServiceChoice } from '../services.ts';

/**
 * A service's rules about people (admins): the roster gate, the outcomes a clerk records when
 * finishing, and eligibility — how many days after an outcome (of this or another service) a
 * person may book again, or which outcome of another service they need first.
 */

interface OutcomeDraft {
  id: string;
  names: Record<string, string>;
}

interface RuleDraft {
  kind: 'after' | 'requires';
  outcome: string;
  /** '' = this service (an `after` rule only). */
  service: string;
  minDays: string;
}

const MAX = 12;
const langName = (l: string): string => (isLang(l) ? LANG_NAMES[l] : l);

function create(ctx: Ctx) {
  let services: ServiceChoice[] = [];
  let serviceId = '';
  let roster = false;
  let outcomes: OutcomeDraft[] = [];
  let rules: RuleDraft[] = [];
  const errors = new FormErrors('rules-roster');

  const take = (r: ServiceRulesT): void => {
    roster = r.roster;
    outcomes = r.outcomes.map((o) => ({ id: o.id, names: { ...o.names } }));
    rules = r.eligibility.map((e) =>
      'after' in e ? { kind: 'after', outcome: e.after, service: e.service ?? '', minDays: String(e.minDays) } : { kind: 'requires', outcome: e.requires.outcome, service: e.requires.service, minDays: String(e.minDays) },
    );
    errors.clear();
    ctx.update();
  };

  const read = async (): Promise<void> => {
    if (serviceId === '') return;
    take((await api('GET', `/offices/${ctx.officeId()}/services/${serviceId}/rules`, ServiceRulesResponse)).rules);
  };

  /** The API's path of each input (`rules.outcomes.0.id`), for the answer's `field`. */
  const apiFields = (): Record<string, string> => ({
    'rules.roster': 'rules-roster',
    'rules.outcomes': outcomes.length > 0 ? 'outcome-0-id' : 'rules-roster',
    ...Object.fromEntries(
      outcomes.flatMap((_, i): [string, string][] => [[`rules.outcomes.${i}`, `outcome-${i}-id`], ...ctx.languages().map((l): [string, string] => [`rules.outcomes.${i}.names.${l}`, `outcome-${i}-name-${l}`])]),
    ),
    ...Object.fromEntries(rules.flatMap((_, i): [string, string][] => [[`rules.eligibility.${i}`, `rule-${i}-outcome`], [`rules.eligibility.${i}.minDays`, `rule-${i}-minDays`]])),
  });

  const save = (): void => {
    const checks: (FieldError | null)[] = [
      ...outcomes.flatMap((o, i) => [required(`outcome-${i}-id`, o.id, t('backoffice.rules.outcomeId')), ...ctx.languages().slice(0, 1).map((l) => required(`outcome-${i}-name-${l}`, o.names[l] ?? '', t('backoffice.rules.nameIn', { language: langName(l) })))]),
      ...rules.flatMap((r, i) => [
        required(`rule-${i}-outcome`, r.outcome, t('backoffice.rules.outcome')),
        wholeNumber(r.minDays) === null ? { fieldId: `rule-${i}-minDays`, message: t('backoffice.form.wholeNumber', { field: t('backoffice.rules.minDays') }) } : null,
        r.kind === 'requires' && r.service === '' ? { fieldId: `rule-${i}-service`, message: t('backoffice.rules.serviceNeeded') } : null,
      ]),
    ];
    if (!errors.check(checks)) return ctx.update();
    const body: ServiceRulesT = {
      roster,
      outcomes: outcomes.map((o) => ({ id: o.id.trim(), names: Object.fromEntries(Object.entries(o.names).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()])) })),
      eligibility: rules.map((r) =>
        r.kind === 'after'
          ? { after: r.outcome.trim(), ...(r.service === '' ? {} : { service: r.service }), minDays: wholeNumber(r.minDays) ?? 0 }
          : { requires: { service: r.service, outcome: r.outcome.trim() }, minDays: wholeNumber(r.minDays) ?? 0 },
      ),
    };
    const sid = serviceId;
    ctx.actions.run(
      'rules:save',
      async () => {
        take((await api('PUT', `/offices/${ctx.officeId()}/services/${sid}/rules`, ServiceRulesResponse, { rules: body })).rules);
        ctx.notice(t('backoffice.saved'));
      },
      (e) => {
        errors.fromFailure(e, apiFields());
        ctx.update();
      },
    );
  };

  const outcomeRow = (o: OutcomeDraft, i: number): TemplateResult => html`<fieldset class="row" data-outcome=${i}>
    <legend>${t('backoffice.rules.outcomeN', { n: i + 1 })}</legend>
    <div class="cols">
      ${field({ id: `outcome-${i}-id`, label: t('backoffice.rules.outcomeId'), hint: t('backoffice.rules.idHint'), value: o.id, maxlength: 40, error: errors.of(`outcome-${i}-id`), onInput: (v) => (o.id = v) })}
      ${ctx.languages().map((l) =>
        field({ id: `outcome-${i}-name-${l}`, label: t('backoffice.rules.nameIn', { language: langName(l) }), value: o.names[l] ?? '', maxlength: 80, error: errors.of(`outcome-${i}-name-${l}`), onInput: (v) => (o.names[l] = v) }),
      )}
    </div>
    ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.rules.removeOutcome', { n: i + 1 }), onClick: () => ((outcomes = outcomes.filter((x) => x !== o)), ctx.update()) })}
  </fieldset>`;

  const ruleRow = (r: RuleDraft, i: number): TemplateResult => html`<fieldset class="row" data-rule=${i}>
    <legend>${t('backoffice.rules.ruleN', { n: i + 1 })}</legend>
    <div class="cols">
      ${selectField({
        id: `rule-${i}-kind`,
        label: t('backoffice.rules.kind'),
        value: r.kind,
        options: (['after', 'requires'] as const).map((k) => ({ value: k, label: t(`backoffice.rules.kinds.${k}`) })),
        onChange: (v) => ((r.kind = v === 'requires' ? 'requires' : 'after'), ctx.update()),
      })}
      ${selectField({
        id: `rule-${i}-service`,
        label: t('backoffice.service'),
        value: r.service,
        error: errors.of(`rule-${i}-service`),
        options: [...(r.kind === 'after' ? [{ value: '', label: t('backoffice.rules.thisService') }] : [{ value: '', label: t('ui.none') }]), ...services.map((s) => ({ value: s.id, label: s.label }))],
        onChange: (v) => (r.service = v),
      })}
      ${field({ id: `rule-${i}-outcome`, label: t('backoffice.rules.outcome'), value: r.outcome, maxlength: 40, error: errors.of(`rule-${i}-outcome`), onInput: (v) => (r.outcome = v) })}
      ${field({ id: `rule-${i}-minDays`, label: t('backoffice.rules.minDays'), inputmode: 'numeric', value: r.minDays, error: errors.of(`rule-${i}-minDays`), onInput: (v) => (r.minDays = v) })}
    </div>
    ${button({ label: t('backoffice.remove'), ariaLabel: t('backoffice.rules.removeRule', { n: i + 1 }), onClick: () => ((rules = rules.filter((x) => x !== r)), ctx.update()) })}
  </fieldset>`;

  return {
    async load() {
      ({ services, serviceId } = await loadServices(ctx.officeId(), serviceId));
      await read();
    },
    view: () =>
      serviceId === ''
        ? nothing
        : html`<form class="card" @submit=${onSubmit(save)} novalidate aria-label=${t('backoffice.rules.title')}>
            ${errors.summary()}
            ${servicePicker('rules-service', services, serviceId, (v) => {
              serviceId = v;
              ctx.actions.run('rules:read', read, (e) => ctx.problem(e));
            })}
            ${checkboxField({ id: 'rules-roster', label: t('backoffice.rules.roster'), hint: t('backoffice.rules.rosterHint'), checked: roster, error: errors.of('rules-roster'), onChange: (v) => (roster = v) })}
            <h2>${t('backoffice.rules.outcomes')}</h2>
            <p class="hint">${t('backoffice.rules.outcomesHint')}</p>
            ${outcomes.map(outcomeRow)}
            ${button({ label: t('backoffice.rules.addOutcome'), isDisabled: outcomes.length >= MAX, onClick: () => (outcomes.push({ id: '', names: {} }), ctx.update()) })}
            <h2>${t('backoffice.rules.eligibility')}</h2>
            <p class="hint">${t('backoffice.rules.eligibilityHint')}</p>
            ${rules.map(ruleRow)}
            ${button({ label: t('backoffice.rules.addRule'), isDisabled: rules.length >= MAX, onClick: () => (rules.push({ kind: 'after', outcome: '', service: '', minDays: '0' }), ctx.update()) })}
            <div class="actions">${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('rules:save'), onClick: () => undefined })}</div>
          </form>`,
  };
}

export const rulesSection: Section = { id: 'rules', titleKey: 'backoffice.rules.title', role: 'admin', create };
