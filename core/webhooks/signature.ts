/**
 * How a delivery is signed: `Fronta-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`
 * with the subscription's secret. The time inside the signed text lets a receiver refuse replays
 * older than a few minutes; the event id (`Fronta-Event-Id`) lets it drop a delivery it already
 * has (a retry after an answer that was lost).
 */
export const SIGNATURE_HEADER = 'Fronta-Signature';
export const EVENT_ID_HEADER = 'Fronta-Event-Id';
export const EVENT_TYPE_HEADER = 'Fronta-Event-Type';

/** The text the HMAC is computed over (`nowMs` is rounded down to whole seconds). */
export function signedText(nowMs: number, body: string): { t: number; text: string } {
  const t = Math.floor(nowMs / 1000);
  return { t, text: `${t}.${body}` };
}

export const signatureHeader = (t: number, hexMac: string): string => `t=${t},v1=${hexMac}`;
