import { randomBytes } from 'node:crypto';
import type { PaymentPort } from '../core/fees/ports.ts';
import { sweepFees, type FeeRuntime } from '../core/fees/settle.ts';
import { govukPay, parseWebhook } from '../drivers/payment/govuk-pay.adapter.ts';
import { SIGNATURE_HEADER, verifyWebhook } from '../drivers/payment/webhook-signature.ts';
import type { FeesServerDeps } from '../server/deps.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from '../drivers/payment/simulator/server.ts';
import type { PaymentConfig } from './config.ts';

export interface PaymentsRuntime {
  port: PaymentPort;
  /** The built-in provider of the demo (null when a real one is configured). */
  simulator: PaymentSimulatorHandle | null;
  /** What webhooks are verified with. */
  webhookSecret: string;
  close(): Promise<void>;
}

/**
 * The payment provider: the configured one, or, for the demo, the payment simulator on loopback
 * (like the mail and SMS sinks), with a fresh key and webhook secret per run. Null when neither:
 * an office without a provider takes no fees online.
 */
export async function createPayments(config: PaymentConfig, demo: boolean): Promise<PaymentsRuntime | null> {
  if (config.url !== null) {
    return { port: govukPay({ baseUrl: config.url, apiKey: config.apiKey, timeoutMs: config.timeoutMs }), simulator: null, webhookSecret: config.webhookSecret, close: async () => {} };
  }
  if (!demo) return null;
  const apiKey = `sim_${randomBytes(16).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  // Webhooks get an address once the host has its payment routes (setWebhookUrl).
  const simulator = await startPaymentSimulator({ apiKey, webhookSecret, webhookUrl: null });
  return { port: govukPay({ baseUrl: simulator.url, apiKey, timeoutMs: config.timeoutMs }), simulator, webhookSecret, close: () => simulator.close() };
}

/** The payment edge's webhook reader: GOV.UK Pay's event body, Stripe's signature over the raw bytes. */
export const webhookReader = (secret: string): Pick<FeesServerDeps, 'signatureHeader' | 'readWebhook'> => ({
  signatureHeader: SIGNATURE_HEADER,
  readWebhook: (rawBody, signature, nowMs) =>
    verifyWebhook({ secret, header: signature, rawBody, nowSeconds: Math.floor(nowMs / 1000) }).ok ? parseWebhook(rawBody) : null,
});

/**
 * The fees' part of the booking sweep, on the host's clock: unpaid orders past their deadline
 * expire and give their place back; attempts and refunds still open are asked of the provider,
 * minutes apart at first, then hourly (when each was last asked is this host's memory).
 */
export function feeSweep(rt: FeeRuntime): () => Promise<void> {
  const seen = new Map<string, { first: number; last: number }>();
  return async () => {
    await sweepFees(rt, seen);
  };
}
