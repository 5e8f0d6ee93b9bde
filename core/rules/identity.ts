import { pickText } from '../booking/availability.ts';
import { personOf } from '../booking/applicant.ts';
import type { ConfirmRule, HoldCheck } from '../booking/deps.ts';
import { ok, fail } from '../shared/result.ts';
import { cancelForRule } from './decisions.ts';

/**
 * Identity keys (Bihor: the chassis serial of a registration, the passport holder): a service may
 * require one, and one key holds at most one active booking of a service. The office chooses what a
 * second attempt does: `refuse` it, or `cancelAll` — the attempt may hold, and once its contact is
 * confirmed every active booking of that key for the service is cancelled, the new one included
 * (waiting for the confirmation means nobody can cancel another person's booking just by knowing a
 * chassis number). Keys are matched by their keyed hashes only.
 */

export const CANCEL_ALL_RULE = 'identity-cancel-all';

/** Refuses an attempt without the key the service requires, and a second booking of a key where the office refuses them. */
export const identityKeyCheck: HoldCheck = async (ctx, deps) => {
  const rule = ctx.policy.identityKey;
  if (rule == null) return ok(undefined);
  const label = pickText(rule.label, ctx.language, ctx.office);
  if (ctx.identity.length === 0) return rule.required ? fail('IDENTITY_KEY_REQUIRED', { label }) : ok(undefined);
  if ((await deps.bookings.officeSettings(ctx.office.id)).rules.identityDuplicates !== 'refuse') return ok(undefined);
  const taken = await deps.bookings.activeBookingsByIdentity(ctx.service.id, ctx.identity, ctx.now);
  return taken.length > 0 ? fail('IDENTITY_KEY_HAS_BOOKING', { label }) : ok(undefined);
};

/**
 * Cancel-all, when a hold's contact is confirmed: if its key has other active bookings of the
 * service, all of them are cancelled, this one first. The confirming contact and every confirmed
 * one are told by message (an unconfirmed hold's contact may not be the person's).
 */
export const identityCancelAll: ConfirmRule = async (held, deps, now) => {
  const identity = personOf(held).identity;
  if (identity.length === 0 || (await deps.bookings.policy(held.serviceId))?.identityKey == null) return null;
  if ((await deps.bookings.officeSettings(held.officeId)).rules.identityDuplicates !== 'cancelAll') return null;
  const others = (await deps.bookings.activeBookingsByIdentity(held.serviceId, identity, now)).filter((b) => b.id !== held.id);
  if (others.length === 0) return null;
  return cancelForRule(
    deps,
    [held, ...others],
    CANCEL_ALL_RULE,
    now,
    (b) => b.id === held.id || b.state === 'confirmed',
    (cancelled) => JSON.stringify({ numbers: cancelled.map((b) => b.number) }),
  );
};
