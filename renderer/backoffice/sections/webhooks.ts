import { html, type TemplateResult } from 'lit-html';
import { z } from 'zod';
import { DeliveriesResponse, WebhookPingResponse, WebhookResponse, WebhookSecretResponse, WebhooksResponse, type WebhookViewT } from '../../../contracts/webhooks.ts';
import { api } from '../../shared/api.ts';
import { formatDateTime, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { checkboxField, FormErrors, onSubmit, required } from '../form.ts';
import { secretBox, type Secret } from '../secret.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * Outgoing webhooks (admins): the office's endpoints with the events each takes and its state, a
 * new one (its signing secret shown once), pause, resume, a new secret, a test event, removal;
 * and the latest deliveries with their state, attempts and the receiver's last answer — never
 * the payload.
 */

type Delivery = z.infer<typeof DeliveriesResponse>['deliveries'][number];

function create(ctx: Ctx) {
  let webhooks: WebhookViewT[] = [];
  let eventTypes: string[] = [];
  let extraFields: string[] = [];
  let deliveries: Delivery[] = [];
  let secret: Secret | null = null;
  const draft = { url: '', events: new Set<string>(), extra: new Set<string>(), allowPrivate: false };
  const errors = new FormErrors('webhook-url');
  const path = (): string => `/offices/${ctx.officeId()}/webhooks`;
  const when = (at: number | null): string => (at === null ? t('ui.none') : formatDateTime(at, ctx.timeZone()));

  const reload = async (): Promise<void> => {
    const r = await api('GET', path(), WebhooksResponse);
    webhooks = r.webhooks;
    eventTypes = r.eventTypes;
    extraFields = r.extraFields;
    deliveries = (await api('GET', `/offices/${ctx.officeId()}/webhook-deliveries`, DeliveriesResponse)).deliveries.slice(0, 50);
    ctx.update();
  };

  const add = (): void => {
    const none = draft.events.size === 0 ? { fieldId: 'webhook-event-0', message: t('backoffice.webhooks.chooseEvents') } : null;
    if (!errors.check([required('webhook-url', draft.url, t('backoffice.webhooks.url')), none])) return ctx.update();
    ctx.actions.run(
      'webhook:add',
      async () => {
        const r = await api('POST', path(), WebhookSecretResponse, { url: draft.url.trim(), eventTypes: [...draft.events], extraFields: [...draft.extra], allowPrivate: draft.allowPrivate });
        Object.assign(draft, { url: '', events: new Set<string>(), extra: new Set<string>(), allowPrivate: false });
        errors.clear();
        secret = { title: t('backoffice.webhooks.secretFor', { url: r.webhook.url }), value: r.secret };
        await reload();
      },
      (e) => {
        errors.fromFailure(e, { url: 'webhook-url', eventTypes: 'webhook-event-0', allowPrivate: 'webhook-private' });
        ctx.update();
      },
    );
  };

  const act = (w: WebhookViewT, name: string, work: () => Promise<void>): void =>
    ctx.actions.run(`webhook:${name}:${w.id}`, async () => {
      await work();
      await reload();
    }, (e) => ctx.problem(e));

  const setState = (w: WebhookViewT, state: 'active' | 'paused'): void =>
    act(w, 'state', async () => {
      await api('PATCH', `${path()}/${w.id}`, WebhookResponse, { state });
      ctx.notice(t(state === 'active' ? 'backoffice.webhooks.resumed' : 'backoffice.webhooks.paused'));
    });

  const rotate = (w: WebhookViewT): void =>
    ctx.confirm({
      title: t('backoffice.webhooks.rotateTitle', { url: w.url }),
      body: t('backoffice.webhooks.rotateBody'),
      confirmLabel: t('backoffice.webhooks.rotate'),
      onConfirm: () =>
        act(w, 'rotate', async () => {
          const r = await api('POST', `${path()}/${w.id}/rotate-secret`, WebhookSecretResponse);
          secret = { title: t('backoffice.webhooks.secretFor', { url: r.webhook.url }), value: r.secret };
        }),
    });

  const ping = (w: WebhookViewT): void =>
    act(w, 'ping', async () => {
      const r = await api('POST', `${path()}/${w.id}/ping`, WebhookPingResponse);
      ctx.notice(r.delivered ? t('backoffice.webhooks.pingOk', { status: r.status ?? 0 }) : t('backoffice.webhooks.pingFailed', { answer: r.status === null ? (r.error ?? '') : String(r.status) }));
    });

  const remove = (w: WebhookViewT): void =>
    ctx.confirm({
      title: t('backoffice.webhooks.removeTitle', { url: w.url }),
      body: t('backoffice.webhooks.removeBody'),
      confirmLabel: t('backoffice.webhooks.remove'),
      onConfirm: () =>
        act(w, 'remove', async () => {
          await api('DELETE', `${path()}/${w.id}`, z.null());
          ctx.notice(t('backoffice.webhooks.removed'));
        }),
    });

  const stateOf = (w: WebhookViewT): string =>
    w.state === 'active' ? t('backoffice.webhooks.states.active') : t(`backoffice.webhooks.states.${w.pausedReason ?? 'by_admin'}`);

  const row = (w: WebhookViewT): TemplateResult => html`<tr data-webhook=${w.url}>
    <th scope="row" class="wrap">${w.url}</th>
    <td>${w.eventTypes.map((e) => t(`backoffice.webhooks.events.${e}`)).join(', ')}</td>
    <td>${w.extraFields.length === 0 ? t('ui.none') : w.extraFields.map((f) => t(`backoffice.webhooks.fields.${f}`)).join(', ')}</td>
    <td class=${`state-${w.state}`} data-testid="webhook-state">${stateOf(w)}</td>
    <td class="act">
      ${w.state === 'active'
        ? button({ label: t('backoffice.webhooks.pause'), isBusy: ctx.actions.isBusy(`webhook:state:${w.id}`), onClick: () => setState(w, 'paused') })
        : button({ label: t('backoffice.webhooks.resume'), isBusy: ctx.actions.isBusy(`webhook:state:${w.id}`), onClick: () => setState(w, 'active') })}
      ${button({ label: t('backoffice.webhooks.ping'), isBusy: ctx.actions.isBusy(`webhook:ping:${w.id}`), onClick: () => ping(w) })}
      ${button({ label: t('backoffice.webhooks.rotate'), onClick: () => rotate(w) })}
      ${button({ label: t('backoffice.webhooks.remove'), onClick: () => remove(w) })}
    </td>
  </tr>`;

  const deliveryRow = (d: Delivery): TemplateResult => html`<tr data-delivery=${d.eventId}>
    <td>${when(d.createdAt)}</td>
    <td>${t(`backoffice.webhooks.events.${d.eventType}`)} <span class="hint">#${d.eventId}</span></td>
    <td class=${`state-${d.state}`} data-testid="delivery-state">${t(`backoffice.webhooks.deliveryStates.${d.state}`)}</td>
    <td class="num">${d.attempts}</td>
    <td>${d.lastStatus ?? d.lastError ?? t('ui.none')}</td>
    <td>${d.state === 'pending' ? when(d.nextAttemptAt) : when(d.doneAt)}</td>
  </tr>`;

  const checks = (prefix: string, values: readonly string[], chosen: Set<string>, label: (v: string) => string): TemplateResult[] =>
    values.map((v, i) =>
      checkboxField({
        id: `${prefix}-${i}`,
        label: label(v),
        checked: chosen.has(v),
        ...(i === 0 && prefix === 'webhook-event' ? { error: errors.of('webhook-event-0') } : {}),
        onChange: (on) => (on ? chosen.add(v) : chosen.delete(v)),
      }),
    );

  return {
    load: reload,
    view: () => html`${secretBox(secret, () => ((secret = null), ctx.update()))}
      <section class="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">${t('backoffice.webhooks.list')}</h2>
        <p class="hint">${t('backoffice.webhooks.intro')}</p>
        ${webhooks.length === 0
          ? html`<p>${t('backoffice.webhooks.none')}</p>`
          : html`<table class="grid" data-testid="webhooks">
              <thead>
                <tr>
                  <th scope="col">${t('backoffice.webhooks.url')}</th>
                  <th scope="col">${t('backoffice.webhooks.eventsTitle')}</th>
                  <th scope="col">${t('backoffice.webhooks.extraTitle')}</th>
                  <th scope="col">${t('backoffice.webhooks.state')}</th>
                  <th scope="col"><span class="sr-only">${t('backoffice.actions')}</span></th>
                </tr>
              </thead>
              <tbody>${webhooks.map(row)}</tbody>
            </table>`}
      </section>
      <form class="card" @submit=${onSubmit(add)} novalidate aria-labelledby="webhook-add-title">
        <h2 id="webhook-add-title">${t('backoffice.webhooks.add')}</h2>
        ${errors.summary()}
        ${field({ id: 'webhook-url', label: t('backoffice.webhooks.url'), value: draft.url, maxlength: 2000, hint: t('backoffice.webhooks.urlHint'), error: errors.of('webhook-url'), onInput: (v) => (draft.url = v) })}
        <fieldset>
          <legend>${t('backoffice.webhooks.eventsTitle')}</legend>
          ${checks('webhook-event', eventTypes, draft.events, (e) => t(`backoffice.webhooks.events.${e}`))}
        </fieldset>
        <fieldset>
          <legend>${t('backoffice.webhooks.extraTitle')}</legend>
          <p class="hint">${t('backoffice.webhooks.extraHint')}</p>
          ${checks('webhook-extra', extraFields, draft.extra, (f) => t(`backoffice.webhooks.fields.${f}`))}
        </fieldset>
        ${checkboxField({ id: 'webhook-private', label: t('backoffice.webhooks.allowPrivate'), hint: t('backoffice.webhooks.allowPrivateHint'), checked: draft.allowPrivate, onChange: (v) => (draft.allowPrivate = v) })}
        ${button({ label: t('backoffice.webhooks.create'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('webhook:add'), onClick: () => undefined })}
      </form>
      <section class="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">${t('backoffice.webhooks.deliveries')}</h2>
        <div class="actions">${button({ label: t('backoffice.refresh'), isBusy: ctx.actions.isBusy('webhooks:reload'), onClick: () => ctx.actions.run('webhooks:reload', reload, (e) => ctx.problem(e)) })}</div>
        ${deliveries.length === 0
          ? html`<p>${t('backoffice.webhooks.noDeliveries')}</p>`
          : html`<table class="grid" data-testid="webhook-deliveries">
              <thead>
                <tr>
                  <th scope="col">${t('backoffice.webhooks.created')}</th>
                  <th scope="col">${t('backoffice.webhooks.event')}</th>
                  <th scope="col">${t('backoffice.webhooks.state')}</th>
                  <th scope="col" class="num">${t('backoffice.webhooks.attempts')}</th>
                  <th scope="col">${t('backoffice.webhooks.lastAnswer')}</th>
                  <th scope="col">${t('backoffice.webhooks.nextOrDone')}</th>
                </tr>
              </thead>
              <tbody>${deliveries.map(deliveryRow)}</tbody>
            </table>`}
      </section>`,
  };
}

export const webhooksSection: Section = { id: 'webhooks', titleKey: 'backoffice.webhooks.title', role: 'admin', create };
