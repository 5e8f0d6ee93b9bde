import { randomBytes } from 'node:crypto';
import type { Clock, Ids } from '../core/queue/ports.ts';

export const systemClock: Clock = { now: () => Date.now() };

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Crockford base32 of `bytes` random bytes: readable, case-insensitive, no look-alike letters. */
export function randomId(bytes: number): string {
  const buf = randomBytes(bytes);
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of buf) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += CROCKFORD[(acc << (5 - bits)) & 31];
  return out;
}

/** Ticket ids carry 100 random bits: they are the secret in a ticket's public status link. */
export const randomIds: Ids = {
  ticketId: () => randomId(13).slice(0, 20),
  entityId: (prefix) => `${prefix}_${randomId(8)}`,
};
