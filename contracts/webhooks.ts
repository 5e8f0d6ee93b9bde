import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_EXTRA_FIELDS } from '../core/webhooks/model.ts';

/** Outgoing webhooks (admins of the office): subscriptions, their deliveries and attempts. */

const id = z.string().min(1).max(64);
export const WebhookParams = z.object({ officeId: id, webhookId: id });

const eventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length);
const extraFields = z.array(z.enum(WEBHOOK_EXTRA_FIELDS)).max(WEBHOOK_EXTRA_FIELDS.length);

export const CreateWebhookBody = z.strictObject({
  url: z.string().min(1).max(2000),
  eventTypes,
  /** Fields with personal or staff data the receiver needs (none by default). */
  extraFields: extraFields.default([]),
  /** Allow private, loopback, link-local and unique-local targets (an admin's explicit choice). */
  allowPrivate: z.boolean().default(false),
});

export const UpdateWebhookBody = z.strictObject({
  url: z.string().min(1).max(2000).optional(),
  eventTypes: eventTypes.optional(),
  extraFields: extraFields.optional(),
  allowPrivate: z.boolean().optional(),
  /** `active` resumes a paused subscription (from its next event), `paused` holds its deliveries. */
  state: z.enum(['active', 'paused']).optional(),
});

export const WebhookView = z.object({
  id: z.string(),
  officeId: z.string(),
  url: z.string(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  extraFields: z.array(z.enum(WEBHOOK_EXTRA_FIELDS)),
  allowPrivate: z.boolean(),
  state: z.enum(['active', 'paused']),
  pausedReason: z.enum(['by_admin', 'delivery_failed']).nullable(),
  /** The last event id of the office's log it is done with. */
  cursor: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type WebhookViewT = z.infer<typeof WebhookView>;

export const WebhooksResponse = z.object({ webhooks: z.array(WebhookView), eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)), extraFields: z.array(z.enum(WEBHOOK_EXTRA_FIELDS)) });
export const WebhookResponse = z.object({ webhook: WebhookView });
/** Creation and rotation: the signing secret, shown this once. */
export const WebhookSecretResponse = z.object({ webhook: WebhookView, secret: z.string() });

export const WebhookPingResponse = z.object({ status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number(), delivered: z.boolean() });

const Attempt = z.object({ at: z.number(), status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() });
export const DeliveryViewSchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  eventId: z.number(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  createdAt: z.number(),
  nextAttemptAt: z.number(),
  lastAttemptAt: z.number().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  doneAt: z.number().nullable(),
  attemptLog: z.array(Attempt),
});
export const DeliveriesQuery = z.object({ webhookId: id.optional() });
export const DeliveriesResponse = z.object({ deliveries: z.array(DeliveryViewSchema) });
