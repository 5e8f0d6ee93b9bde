import { html, nothing, type TemplateResult } from 'lit-html';
import { AlertSettingsResponse } from '../../../contracts/alerts.ts';
import type { AlertsT, ServiceT } from '../../../contracts/office-config.ts';
import { api } from '../../shared/api.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { configPath, loadConfig, nameOf } from '../config-write.ts';
import { checkboxField, FormErrors, numberIn, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * When the floor view and the counters alert (supervisors and admins): the wait a client may
 * reach before it alerts, for the office and per service where a service differs, the outbox
 * backlog and the provider failures that alert, and whether supervisors who gave an address get
 * an e-mail. One source: the configuration's `alerts` section, written through its supervisors'
 * route, which has the alert monitor look again at once.
 */

interface Draft {
  targetWaitMin: string;
  /** Service id → minutes; empty = the office's target. */
  serviceTargets: Record<string, string>;
  outboxBacklog: string;
  providerFailures: string;
  emailSupervisors: boolean;
}

const NUMBERS = [
  ['alerts-targetWait', 'targetWaitMin', 1, 600],
  ['alerts-outboxBacklog', 'outboxBacklog', 1, 100_000],
  ['alerts-providerFailures', 'providerFailures', 1, 10_000],
] as const;

const svcField = (id: string): string => `alerts-svc-${id}`;

function create(ctx: Ctx) {
  let draft: Draft | null = null;
  let services: ServiceT[] = [];
  const errors = new FormErrors('alerts-targetWait');

  const take = (a: AlertsT): void => {
    draft = {
      targetWaitMin: String(a.targetWaitMin),
      serviceTargets: Object.fromEntries(services.map((s) => [s.id, a.serviceTargets[s.id] === undefined ? '' : String(a.serviceTargets[s.id])])),
      outboxBacklog: String(a.outboxBacklog),
      providerFailures: String(a.providerFailures),
      emailSupervisors: a.emailSupervisors,
    };
    ctx.update();
  };

  const reload = async (): Promise<void> => {
    const c = await loadConfig(ctx);
    services = c.services;
    take(c.alerts);
  };

  const label = (s: ServiceT): string => `${s.prefix} · ${nameOf(s.names, currentLang())}`;

  const save = (): void => {
    const d = draft;
    if (d === null) return;
    const perService = services.filter((s) => (d.serviceTargets[s.id] ?? '').trim() !== '');
    const found = [
      ...NUMBERS.map(([id, key, min, max]) => numberIn(id, d[key], t(`backoffice.alertSettings.${key}`), min, max)),
      ...perService.map((s) => numberIn(svcField(s.id), d.serviceTargets[s.id] ?? '', t('backoffice.alertSettings.serviceTarget', { service: label(s) }), 1, 600)),
    ];
    if (!errors.check(found)) return ctx.update();
    const body: AlertsT = {
      targetWaitMin: Number(d.targetWaitMin),
      serviceTargets: Object.fromEntries(perService.map((s) => [s.id, Number(d.serviceTargets[s.id])])),
      outboxBacklog: Number(d.outboxBacklog),
      providerFailures: Number(d.providerFailures),
      emailSupervisors: d.emailSupervisors,
    };
    ctx.actions.run(
      'alerts:save',
      async () => {
        const saved = await api('PUT', `${configPath(ctx)}/alert-settings`, AlertSettingsResponse, body);
        errors.clear();
        ctx.notice(t('backoffice.saved'));
        take(saved);
      },
      (e) => {
        errors.fromFailure(e, {
          ...Object.fromEntries(NUMBERS.map(([id, key]) => [key, id])),
          ...Object.fromEntries(services.map((s) => [`serviceTargets.${s.id}`, svcField(s.id)])),
          serviceTargets: services[0] === undefined ? 'alerts-targetWait' : svcField(services[0].id),
          emailSupervisors: 'alerts-email',
        });
        ctx.update();
      },
    );
  };

  const number = (d: Draft, id: string, key: (typeof NUMBERS)[number][1]): TemplateResult =>
    field({ id, inputmode: 'numeric', label: t(`backoffice.alertSettings.${key}`), hint: t(`backoffice.alertSettings.${key}Hint`), value: d[key], maxlength: 6, error: errors.of(id), onInput: (v) => (d[key] = v) });

  const form = (d: Draft): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="alerts-title">
    <h2 id="alerts-title">${t('backoffice.alertSettings.thresholds')}</h2>
    ${errors.summary()}
    <div class="cols">${NUMBERS.map(([id, key]) => number(d, id, key))}</div>
    <fieldset>
      <legend>${t('backoffice.alertSettings.perService')}</legend>
      <p class="hint">${t('backoffice.alertSettings.perServiceHint')}</p>
      ${services.length === 0
        ? html`<p>${t('backoffice.alertSettings.noServices')}</p>`
        : html`<div class="cols">
            ${services.map((s) =>
              field({
                id: svcField(s.id),
                inputmode: 'numeric',
                label: t('backoffice.alertSettings.serviceTarget', { service: label(s) }),
                value: d.serviceTargets[s.id] ?? '',
                maxlength: 3,
                error: errors.of(svcField(s.id)),
                onInput: (v) => (d.serviceTargets[s.id] = v),
              }),
            )}
          </div>`}
    </fieldset>
    ${checkboxField({ id: 'alerts-email', label: t('backoffice.alertSettings.emailSupervisors'), hint: t('backoffice.alertSettings.emailSupervisorsHint'), checked: d.emailSupervisors, onChange: (v) => (d.emailSupervisors = v) })}
    ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('alerts:save'), onClick: () => undefined })}
  </form>`;

  return { load: reload, view: () => (draft === null ? nothing : form(draft)) };
}

export const alertSettingsSection: Section = { id: 'alert-settings', titleKey: 'backoffice.alertSettings.title', role: 'supervisor', create };
