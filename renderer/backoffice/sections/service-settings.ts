import { html, nothing, type TemplateResult } from 'lit-html';
import type { OfficeConfigT, ServiceT } from '../../../contracts/office-config.ts';
import { currentLang, t } from '../../shared/i18n.ts';
import { button } from '../../shared/ui.ts';
import { loadConfig, nameOf, saveForm } from '../config-write.ts';
import { checkboxField, FormErrors, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';
import { servicePicker } from '../services.ts';
import { weekBody, weekDraft, weekFieldIds, weekFields, weekSummary, type WeekDraft } from '../week-hours.ts';
import { bookingRulesBody, bookingRulesDraft, bookingRulesErrors, bookingRulesFields, BOOKING_RULE_FIELD_IDS, type BookingRulesDraft } from './service-booking-rules.ts';

/**
 * One service's settings beyond the services list (admins): its own opening hours where they
 * differ from the office's (always inside them), and how it is booked online — when a day opens
 * for booking, how long a slot is held, the draw's window, how the booking is confirmed, and the
 * identity key the booking form asks for. Saved together (PATCH the service), previewed first:
 * bookings the change leaves outside the hours are shown before anything changes.
 */

interface Draft {
  serviceId: string;
  /** The service keeps the office's hours (`hours: null`). */
  isOfficeHours: boolean;
  week: WeekDraft;
  online: BookingRulesDraft | null;
}

const PREFIX = 'svch';

function create(ctx: Ctx) {
  let config: OfficeConfigT | null = null;
  let draft: Draft | null = null;
  const errors = new FormErrors(`${PREFIX}-office`);

  const pick = (s: ServiceT | undefined): void => {
    if (config === null || s === undefined) return void (draft = null);
    draft = { serviceId: s.id, isOfficeHours: s.hours === null, week: weekDraft(s.hours ?? config.hours), online: s.online === null ? null : bookingRulesDraft(ctx, s.online) };
    errors.clear();
  };

  const reload = async (): Promise<void> => {
    const chosen = draft?.serviceId;
    config = await loadConfig(ctx);
    const c = config;
    pick(c.services.find((s) => s.id === chosen) ?? c.services[0]);
    ctx.update();
  };

  const save = (): void => {
    const d = draft;
    const service = config?.services.find((s) => s.id === d?.serviceId);
    if (d === null || service === undefined) return;
    if (!errors.check(d.online === null ? [] : bookingRulesErrors(d.online, ctx.languages()[0] ?? 'cs'))) return ctx.update();
    const body = {
      hours: d.isOfficeHours ? null : weekBody(d.week),
      ...(service.online === null || d.online === null ? {} : { online: bookingRulesBody(ctx, d.online, service.online) }),
    };
    saveForm(ctx, {
      name: 'service-settings:save',
      method: 'PATCH',
      path: `/services/${encodeURIComponent(service.id)}`,
      body,
      errors,
      reload,
      fields: { hours: `${PREFIX}-office`, ...weekFieldIds(PREFIX, 'hours.'), ...BOOKING_RULE_FIELD_IDS },
    });
  };

  const hours = (d: Draft): TemplateResult => html`<fieldset>
    <legend>${t('backoffice.serviceSettings.hours')}</legend>
    ${checkboxField({
      id: `${PREFIX}-office`,
      label: t('backoffice.serviceSettings.officeHours'),
      hint: t('backoffice.serviceSettings.officeHoursHint'),
      checked: d.isOfficeHours,
      error: errors.of(`${PREFIX}-office`),
      onChange: (v) => ((d.isOfficeHours = v), ctx.update()),
    })}
    ${d.isOfficeHours ? (config === null ? nothing : weekSummary(weekDraft(config.hours))) : weekFields(PREFIX, d.week, errors, () => ctx.update())}
  </fieldset>`;

  const form = (c: OfficeConfigT, d: Draft): TemplateResult => html`<form class="card" @submit=${onSubmit(save)} novalidate aria-labelledby="svch-title">
    <h2 id="svch-title">${t('backoffice.serviceSettings.of', { service: nameOf(c.services.find((s) => s.id === d.serviceId)?.names ?? null, currentLang()) })}</h2>
    ${errors.summary()} ${hours(d)}
    ${d.online === null ? html`<p class="hint">${t('backoffice.serviceSettings.notOnline')}</p>` : bookingRulesFields(ctx, d.online, errors)}
    ${button({ label: t('backoffice.save'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('service-settings:save'), onClick: () => undefined })}
  </form>`;

  return {
    load: reload,
    view: () => {
      const c = config;
      if (c === null) return nothing;
      if (c.services.length === 0 || draft === null) return html`<p>${t('backoffice.serviceSettings.noServices')}</p>`;
      const choices = c.services.map((s) => ({ id: s.id, label: `${s.prefix} · ${nameOf(s.names, currentLang())}` }));
      return html`<div class="card">${servicePicker(`${PREFIX}-service`, choices, draft.serviceId, (v) => (pick(c.services.find((s) => s.id === v)), ctx.update()))}</div>
        ${form(c, draft)}`;
    },
  };
}

export const serviceSettingsSection: Section = { id: 'service-settings', titleKey: 'backoffice.serviceSettings.title', role: 'admin', create };
