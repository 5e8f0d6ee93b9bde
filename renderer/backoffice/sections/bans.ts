import { html, nothing } from 'lit-html';
import { BanResponse, BansResponse, BanView, DecisionsResponse } from '../../../contracts/bans.ts';
import { api } from '../../shared/api.ts';
import { formatDateTime, t } from '../../shared/i18n.ts';
import { button, field, type FieldError } from '../../shared/ui.ts';
import { FormErrors, onSubmit, required, wholeNumber } from '../form.ts';
import type { Ctx, Section } from '../section.ts';
import type { z } from 'zod';

/**
 * Bans and decisions (supervisors): the bans in force, barring a person for fictitious data (their
 * bookings are cancelled, so it asks first), lifting a ban with a reason, and what the rules
 * decided about a booking number or an attempt's reference ("why was I refused?").
 */

type Ban = z.infer<typeof BanView>;
type Decisions = z.infer<typeof DecisionsResponse>;

const TARGETS = ['number', 'email', 'phone', 'identityKey'] as const;

function create(ctx: Ctx) {
  let bans: Ban[] = [];
  const ban = { number: '', email: '', phone: '', identityKey: '', reason: '', days: '' };
  const banErrors = new FormErrors('ban-number');
  let lifting: { ban: Ban; reason: string; errors: FormErrors } | null = null;
  let ref = '';
  let decisions: Decisions | null = null;
  const refErrors = new FormErrors('decision-ref');
  const base = (): string => `/booking/offices/${ctx.officeId()}`;

  const reload = async (): Promise<void> => {
    bans = (await api('GET', `${base()}/bans`, BansResponse)).bans;
    ctx.update();
  };

  const addBan = (): void => {
    const days = ban.days.trim() === '' ? undefined : wholeNumber(ban.days);
    const checks: (FieldError | null)[] = [
      TARGETS.every((k) => ban[k].trim() === '') ? { fieldId: 'ban-number', message: t('backoffice.bans.whoMissing') } : null,
      required('ban-reason', ban.reason, t('backoffice.bans.reason')),
      days === null ? { fieldId: 'ban-days', message: t('backoffice.form.wholeNumber', { field: t('backoffice.bans.days') }) } : null,
    ];
    if (!banErrors.check(checks)) return ctx.update();
    const body = {
      ...Object.fromEntries(TARGETS.filter((k) => ban[k].trim() !== '').map((k) => [k, ban[k].trim()])),
      reason: ban.reason.trim(),
      ...(days === undefined || days === null ? {} : { days }),
    };
    ctx.confirm({
      title: t('backoffice.bans.confirmTitle'),
      body: t('backoffice.bans.confirmBody'),
      confirmLabel: t('backoffice.bans.add'),
      onConfirm: () =>
        ctx.actions.run(
          'ban:add',
          async () => {
            const r = await api('POST', `${base()}/bans`, BanResponse, body);
            Object.assign(ban, { number: '', email: '', phone: '', identityKey: '', reason: '', days: '' });
            banErrors.clear();
            ctx.notice(r.cancelled.length === 0 ? t('backoffice.bans.added') : t('backoffice.bans.addedCancelled', { numbers: r.cancelled.join(', ') }));
            await reload();
          },
          (e) => {
            banErrors.fromFailure(e, { number: 'ban-number', email: 'ban-email', phone: 'ban-phone', identityKey: 'ban-identityKey', reason: 'ban-reason', days: 'ban-days' });
            ctx.update();
          },
        ),
    });
  };

  const lift = (): void => {
    const l = lifting;
    if (l === null) return;
    if (!l.errors.check([required('lift-reason', l.reason, t('backoffice.bans.reason'))])) return ctx.update();
    ctx.actions.run(
      'ban:lift',
      async () => {
        await api('POST', `${base()}/bans/${l.ban.id}/lift`, BanView, { reason: l.reason.trim() });
        lifting = null;
        ctx.notice(t('backoffice.bans.lifted'));
        await reload();
      },
      (e) => {
        l.errors.fromFailure(e, { reason: 'lift-reason' });
        ctx.update();
      },
    );
  };

  const lookUp = (): void => {
    if (!refErrors.check([required('decision-ref', ref, t('backoffice.decisions.ref'))])) return ctx.update();
    ctx.actions.run(
      'decisions',
      async () => {
        decisions = await api('GET', `${base()}/decisions?ref=${encodeURIComponent(ref.trim())}`, DecisionsResponse);
        refErrors.clear();
        ctx.update();
      },
      (e) => {
        refErrors.fromFailure(e, { ref: 'decision-ref' });
        ctx.update();
      },
    );
  };

  const when = (at: number): string => formatDateTime(at, ctx.timeZone());

  const bansTable = () =>
    bans.length === 0
      ? html`<p>${t('backoffice.bans.none')}</p>`
      : html`<table class="grid">
          <caption class="sr-only">${t('backoffice.bans.inForce')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('backoffice.bans.kind')}</th>
              <th scope="col">${t('backoffice.bans.until')}</th>
              <th scope="col">${t('backoffice.bans.reason')}</th>
              <th scope="col">${t('backoffice.bans.booking')}</th>
              <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${bans.map(
              (b) => html`<tr data-ban=${b.id}>
                <td>${t(`backoffice.bans.kinds.${b.kind}`)}</td>
                <td>${b.until}</td>
                <td>${b.reason}</td>
                <td>${b.bookingNumber ?? t('ui.none')}</td>
                <td class="act">
                  ${button({
                    label: t('backoffice.bans.lift'),
                    ariaLabel: t('backoffice.bans.liftOf', { until: b.until }),
                    onClick: () => {
                      lifting = { ban: b, reason: '', errors: new FormErrors('lift-reason') };
                      ctx.update();
                    },
                  })}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>`;

  const liftForm = () => {
    const l = lifting;
    if (l === null) return nothing;
    return html`<form class="card" @submit=${onSubmit(lift)} novalidate aria-labelledby="lift-title">
      <h2 id="lift-title">${t('backoffice.bans.liftTitle', { until: l.ban.until })}</h2>
      ${l.errors.summary()}
      ${field({ id: 'lift-reason', label: t('backoffice.bans.reason'), value: l.reason, maxlength: 500, error: l.errors.of('lift-reason'), onInput: (v) => (l.reason = v) })}
      <div class="actions">
        ${button({ label: t('ui.cancel'), onClick: () => ((lifting = null), ctx.update()) })}
        ${button({ label: t('backoffice.bans.lift'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('ban:lift'), onClick: () => undefined })}
      </div>
    </form>`;
  };

  const banField = (k: keyof typeof ban, type: 'text' | 'email' | 'tel' = 'text', maxlength = 254) =>
    field({ id: `ban-${k}`, type, label: t(`backoffice.bans.fields.${k}`), value: ban[k], maxlength, error: banErrors.of(`ban-${k}`), onInput: (v) => (ban[k] = v) });

  const decisionsView = () => {
    const d = decisions;
    if (d === null) return nothing;
    if (d.decisions.length === 0) return html`<p data-testid="decisions-none">${t('backoffice.decisions.none')}</p>`;
    return html`<table class="grid" data-testid="decisions">
      <caption class="sr-only">${t('backoffice.decisions.title')}</caption>
      <thead>
        <tr>
          <th scope="col">${t('backoffice.decisions.at')}</th>
          <th scope="col">${t('backoffice.decisions.rule')}</th>
          <th scope="col">${t('backoffice.decisions.outcome')}</th>
          <th scope="col">${t('backoffice.bans.booking')}</th>
        </tr>
      </thead>
      <tbody>
        ${d.decisions.map(
          (x) => html`<tr>
            <td>${when(x.at)}</td>
            <td><code>${x.rule}</code></td>
            <td>${t(`backoffice.decisions.outcomes.${x.outcome}`)}</td>
            <td>${x.bookingNumber ?? t('ui.none')}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  };

  return {
    load: reload,
    view: () => html`<section class="card" aria-labelledby="bans-title">
        <h2 id="bans-title">${t('backoffice.bans.inForce')}</h2>
        ${bansTable()}
      </section>
      ${liftForm()}
      <form class="card" @submit=${onSubmit(addBan)} novalidate aria-labelledby="ban-title">
        <h2 id="ban-title">${t('backoffice.bans.addTitle')}</h2>
        <p class="hint">${t('backoffice.bans.addIntro')}</p>
        ${banErrors.summary()}
        <div class="cols">${banField('number', 'text', 20)} ${banField('email', 'email')} ${banField('phone', 'tel', 32)} ${banField('identityKey', 'text', 64)}</div>
        ${field({ id: 'ban-reason', label: t('backoffice.bans.reason'), value: ban.reason, maxlength: 500, error: banErrors.of('ban-reason'), onInput: (v) => (ban.reason = v) })}
        ${field({ id: 'ban-days', label: t('backoffice.bans.days'), hint: t('backoffice.bans.daysHint'), inputmode: 'numeric', value: ban.days, error: banErrors.of('ban-days'), onInput: (v) => (ban.days = v) })}
        ${button({ label: t('backoffice.bans.add'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('ban:add'), onClick: () => undefined })}
      </form>
      <form class="card" @submit=${onSubmit(lookUp)} novalidate aria-labelledby="decisions-title">
        <h2 id="decisions-title">${t('backoffice.decisions.title')}</h2>
        ${refErrors.summary()}
        ${field({ id: 'decision-ref', label: t('backoffice.decisions.ref'), hint: t('backoffice.decisions.refHint'), value: ref, maxlength: 40, error: refErrors.of('decision-ref'), onInput: (v) => (ref = v) })}
        ${button({ label: t('backoffice.decisions.lookUp'), type: 'submit', isBusy: ctx.actions.isBusy('decisions'), onClick: () => undefined })}
        ${decisionsView()}
      </form>`,
  };
}

export const bansSection: Section = { id: 'bans', titleKey: 'backoffice.bans.title', role: 'supervisor', create };
