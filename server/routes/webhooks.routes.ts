import { OfficeParams } from '../../contracts/api.ts';
import {
  CreateWebhookBody,
  DeliveriesQuery,
  DeliveriesResponse,
  UpdateWebhookBody,
  WebhookParams,
  WebhookPingResponse,
  WebhookResponse,
  WebhookSecretResponse,
  WebhooksResponse,
  type WebhookViewT,
} from '../../contracts/webhooks.ts';
import { checkTargetUrl } from '../../core/webhooks/address-policy.ts';
import { isDelivered, WEBHOOK_EVENT_TYPES, WEBHOOK_EXTRA_FIELDS, type WebhookSubscription } from '../../core/webhooks/model.ts';
import { requireOfficeRole } from '../auth.ts';
import type { ServerDeps, WebhookServerDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

const view = ({ sealedSecret: _secret, createdBy: _by, ...rest }: WebhookSubscription): WebhookViewT => rest;

/**
 * Outgoing webhooks of an office, for its admins only: subscriptions (the signing secret is shown
 * once, at creation and rotation), a signed test event, and the deliveries with every attempt.
 * Writes go through the unit of work, so they commit with their group.
 */
export function webhookRoutes(api: Api, deps: ServerDeps, w: WebhookServerDeps): void {
  const admin = (identity: Parameters<typeof requireOfficeRole>[0], officeId: string) => requireOfficeRole(identity, officeId, 'admin');
  const target = (url: string, allowPrivate: boolean): string => {
    const r = checkTargetUrl(url, { allowPrivate, allowLoopback: w.allowLoopback });
    if (!r.ok) throw new ApiError(r.code, { field: 'url' });
    return r.url;
  };
  const own = async (officeId: string, webhookId: string): Promise<WebhookSubscription> => {
    const s = await w.store.subscription(webhookId);
    if (s === null || s.officeId !== officeId) throw new ApiError('WEBHOOK_NOT_FOUND');
    return s;
  };
  // The store's statements run synchronously inside the unit's work; its promise settles after the commit.
  const write = async <T>(work: () => Promise<T>): Promise<T> => await deps.queue.run(() => work());

  api.get(
    '/offices/:officeId/webhooks',
    { schema: { tags: ['admin'], summary: "The office's webhook subscriptions (never their secrets), with the event types and extra fields offered", params: OfficeParams, response: { 200: WebhooksResponse } } },
    async (req) => {
      admin(req.identity, req.params.officeId);
      return { webhooks: (await w.store.subscriptions(req.params.officeId)).map(view), eventTypes: [...WEBHOOK_EVENT_TYPES], extraFields: [...WEBHOOK_EXTRA_FIELDS] };
    },
  );

  api.post(
    '/offices/:officeId/webhooks',
    {
      schema: {
        tags: ['admin'],
        summary: 'Subscribes an endpoint to event types (from the next event on); answers the signing secret, shown this once',
        params: OfficeParams,
        body: CreateWebhookBody,
        response: { 201: WebhookSecretResponse },
      },
    },
    async (req, reply) => {
      const user = admin(req.identity, req.params.officeId);
      const { officeId } = req.params;
      const url = target(req.body.url, req.body.allowPrivate);
      const secret = w.newSecret();
      const now = deps.clock.now();
      const s: WebhookSubscription = {
        id: w.newId(),
        officeId,
        url,
        eventTypes: [...new Set(req.body.eventTypes)],
        extraFields: [...new Set(req.body.extraFields)],
        allowPrivate: req.body.allowPrivate,
        state: 'active',
        pausedReason: null,
        // From now on: a new endpoint is not sent the office's whole history.
        cursor: await deps.events.lastEventId(officeId),
        sealedSecret: w.seal(secret),
        createdAt: now,
        createdBy: user?.id ?? 'install',
        updatedAt: now,
      };
      await write(() => w.store.createSubscription(s));
      w.kick();
      return reply.status(201).send({ webhook: view(s), secret });
    },
  );

  api.patch(
    '/offices/:officeId/webhooks/:webhookId',
    { schema: { tags: ['admin'], summary: 'Changes the address, event types, extra fields or private-target allowance; pauses or resumes', params: WebhookParams, body: UpdateWebhookBody, response: { 200: WebhookResponse } } },
    async (req) => {
      admin(req.identity, req.params.officeId);
      const s = await own(req.params.officeId, req.params.webhookId);
      const b = req.body;
      const allowPrivate = b.allowPrivate ?? s.allowPrivate;
      // A narrower allowance must still admit the saved address.
      const url = target(b.url ?? s.url, allowPrivate);
      const updated = await write(() =>
        w.store.updateSubscription(
          s.id,
          {
            url,
            allowPrivate,
            ...(b.eventTypes === undefined ? {} : { eventTypes: [...new Set(b.eventTypes)] }),
            ...(b.extraFields === undefined ? {} : { extraFields: [...new Set(b.extraFields)] }),
            ...(b.state === undefined ? {} : { state: b.state === 'active' ? { state: 'active' as const } : { state: 'paused' as const, reason: 'by_admin' as const } }),
          },
          deps.clock.now(),
        ),
      );
      if (updated === null) throw new ApiError('WEBHOOK_NOT_FOUND');
      w.kick();
      return { webhook: view(updated) };
    },
  );

  api.delete(
    '/offices/:officeId/webhooks/:webhookId',
    { schema: { tags: ['admin'], summary: 'Removes the subscription with its deliveries', params: WebhookParams } },
    async (req, reply) => {
      admin(req.identity, req.params.officeId);
      const s = await own(req.params.officeId, req.params.webhookId);
      await write(() => w.store.deleteSubscription(s.id));
      return reply.status(204).send();
    },
  );

  api.post(
    '/offices/:officeId/webhooks/:webhookId/rotate-secret',
    { schema: { tags: ['admin'], summary: 'Replaces the signing secret (the next delivery is signed with the new one); answers it, shown this once', params: WebhookParams, response: { 200: WebhookSecretResponse } } },
    async (req) => {
      admin(req.identity, req.params.officeId);
      const s = await own(req.params.officeId, req.params.webhookId);
      const secret = w.newSecret();
      const updated = await write(() => w.store.updateSubscription(s.id, { sealedSecret: w.seal(secret) }, deps.clock.now()));
      if (updated === null) throw new ApiError('WEBHOOK_NOT_FOUND');
      return { webhook: view(updated), secret };
    },
  );

  api.post(
    '/offices/:officeId/webhooks/:webhookId/ping',
    { schema: { tags: ['admin'], summary: "Sends a signed `ping` event to the endpoint now and answers what it said (outside the deliveries' order; not recorded)", params: WebhookParams, response: { 200: WebhookPingResponse } } },
    async (req) => {
      admin(req.identity, req.params.officeId);
      const r = await w.ping(await own(req.params.officeId, req.params.webhookId));
      return { ...r, delivered: isDelivered(r) };
    },
  );

  api.get(
    '/offices/:officeId/webhook-deliveries',
    {
      schema: {
        tags: ['admin'],
        summary: 'The latest deliveries (of one subscription with `webhookId`), newest first, each with its state and attempts; never the payload',
        params: OfficeParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveriesResponse },
      },
    },
    async (req) => {
      admin(req.identity, req.params.officeId);
      const { webhookId } = req.query;
      if (webhookId !== undefined) await own(req.params.officeId, webhookId);
      const rows = await w.store.deliveries(req.params.officeId, webhookId ?? null, 200);
      return { deliveries: rows.map(({ officeId: _o, ...d }) => d) };
    },
  );
}
