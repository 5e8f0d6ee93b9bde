import type { Keyed } from './ports.ts';
import type { ApplicantFields, BookingDeps, HoldContext } from './deps.ts';
import type { Booking, KeyedHash, PersonHashes, RuleDecision } from './model.ts';
import { normaliseEmail, normaliseIdentityKey, normaliseName, normalisePhone } from './codes.ts';
import { fail, ok, type DomainError, type Result } from '../shared/result.ts';

export const contactHash = (keyed: Keyed, kind: 'email' | 'phone', value: string): string => keyed.hmac(`contact:${kind}`, value);

/** An identity key's keyed hashes (normalise it first), current key first. */
export const identityHashes = (keyed: Keyed, key: string): readonly KeyedHash[] => keyed.hmacAll('identity', key);

/** The hashes rules match a booking's person by. */
export const personOf = (b: Pick<Booking, 'emailHash' | 'phoneHash' | 'identityKeyId' | 'identityHash'>): PersonHashes => ({
  emailHash: b.emailHash,
  phoneHash: b.phoneHash,
  identity: b.identityHash === null || b.identityKeyId === null ? [] : [{ keyId: b.identityKeyId, hash: b.identityHash }],
});

/** The contact as stored: sealed for delivery, keyed hashes for matching (the identity key only as its hash). */
export function sealedContact(deps: Pick<BookingDeps, 'keyed'>, ctx: HoldContext) {
  return {
    nameSealed: deps.keyed.seal(ctx.name),
    emailSealed: ctx.email === null ? null : deps.keyed.seal(ctx.email),
    phoneSealed: ctx.phone === null ? null : deps.keyed.seal(ctx.phone),
    emailHash: ctx.emailHash,
    phoneHash: ctx.phoneHash,
    identityKeyId: ctx.identity[0]?.keyId ?? null,
    identityHash: ctx.identity[0]?.hash ?? null,
  };
}

/** The rule checks of an attempt, in order; the first refusal wins and carries its attempt id and decision (see `refusedByRule`). */
export async function runChecks(deps: BookingDeps, ctx: HoldContext, applicationId: string | null = null): Promise<Result<HoldContext>> {
  for (const check of deps.checks) {
    const r = await check(ctx, deps);
    if (!r.ok) return refusedByRule(deps, ctx, r.error, applicationId);
  }
  return ok(ctx);
}

/**
 * A rule's refusal of an attempt: the client is given an attempt id to quote (`params.attempt`),
 * and the decision travels with the error for the edge to record after the rollback.
 */
function refusedByRule(deps: BookingDeps, ctx: HoldContext, error: DomainError, applicationId: string | null): Result<never> {
  const decision: RuleDecision = {
    id: deps.secrets.bookingNumber(),
    officeId: ctx.office.id,
    serviceId: ctx.service.id,
    rule: error.code,
    outcome: 'refused',
    bookingId: null,
    applicationId,
    emailHash: ctx.emailHash,
    phoneHash: ctx.phoneHash,
    identityHash: ctx.identity[0]?.hash ?? null,
    detail: JSON.stringify(error.params ?? {}),
    at: ctx.now,
  };
  return { ok: false, error: { code: error.code, params: { ...error.params, attempt: decision.id }, decision } };
}

/**
 * The contact and rules check shared by a hold (first come, first served) and an application
 * to a draw: normalised, valid contacts for the chosen channel, a name, then every rule check
 * (the identity, ban, roster and eligibility rules slot in here), before any place is
 * taken or any application recorded.
 */
export async function vetApplicant(
  deps: BookingDeps,
  base: Pick<HoldContext, 'office' | 'service' | 'policy' | 'day' | 'slotId' | 'now'>,
  req: ApplicantFields,
): Promise<Result<HoldContext>> {
  const email = req.email == null || req.email === '' ? null : normaliseEmail(req.email);
  const phone = req.phone == null || req.phone === '' ? null : normalisePhone(req.phone);
  if (req.email != null && req.email !== '' && email === null) return fail('CONTACT_INVALID', { field: 'email' });
  if (req.phone != null && req.phone !== '' && phone === null) return fail('CONTACT_INVALID', { field: 'phone' });
  if ((req.channel === 'email' ? email : phone) === null) return fail('CONTACT_REQUIRED');
  const name = normaliseName(req.name);
  if (name === '') return fail('CONTACT_REQUIRED');
  const identityKey = req.identityKey == null ? '' : normaliseIdentityKey(req.identityKey);
  const ctx: HoldContext = {
    ...base,
    name,
    email,
    phone,
    emailHash: email === null ? null : contactHash(deps.keyed, 'email', email),
    phoneHash: phone === null ? null : contactHash(deps.keyed, 'phone', phone),
    identityKey: identityKey === '' ? null : identityKey,
    identity: identityKey === '' ? [] : identityHashes(deps.keyed, identityKey),
    contactHashes: [
      ...(email === null ? [] : deps.keyed.hmacAll('contact:email', email)),
      ...(phone === null ? [] : deps.keyed.hmacAll('contact:phone', phone)),
    ].map((k) => k.hash),
    language: req.language,
  };
  return runChecks(deps, ctx);
}
