import { ApiFailure } from '../shared/api.ts';
import { t } from '../shared/i18n.ts';
import type { Contact, Problem, Service } from './state.ts';

/** The form's own checks before anything is sent: each message names its field. */
export function validateDetails(service: Service, c: Contact): Problem[] {
  const p: Problem[] = [];
  if (c.name.trim() === '') p.push({ fieldId: 'name', message: t('portal.err.name') });
  const email = c.email.trim();
  const phone = c.phone.trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email)) p.push({ fieldId: 'email', message: t('portal.err.emailInvalid') });
  if (phone !== '' && !/^(\+|00)[1-9][\d\s().-]{7,20}$/.test(phone)) p.push({ fieldId: 'phone', message: t('portal.err.phoneInvalid') });
  if (c.channel === 'email' && email === '') p.push({ fieldId: 'email', message: t('portal.err.emailRequired') });
  if (c.channel === 'sms' && phone === '') p.push({ fieldId: 'phone', message: t('portal.err.phoneRequired') });
  if (!service.policy.confirmBy.includes(c.channel)) p.push({ fieldId: `channel-${service.policy.confirmBy[0] ?? 'email'}`, message: t('errors.CONFIRM_CHANNEL_UNAVAILABLE') });
  const key = service.policy.identityKey;
  if (key?.required === true && c.identityKey.trim() === '') p.push({ fieldId: 'identityKey', message: t('portal.err.identityKey', { label: key.label }) });
  // A roster service matches document number, name and the phone on file.
  if (service.roster && key?.required !== true && c.identityKey.trim() === '') p.push({ fieldId: 'identityKey', message: t('portal.err.documentNumber') });
  if (service.roster && phone === '') p.push({ fieldId: 'phone', message: t('portal.err.rosterPhone') });
  return p;
}

const FIELD_OF_CODE: Partial<Record<string, string>> = {
  CODE_WRONG: 'code',
  CODE_EXPIRED: 'code',
  CODE_LOCKED: 'code',
  IDENTITY_KEY_REQUIRED: 'identityKey',
  IDENTITY_KEY_HAS_BOOKING: 'identityKey',
  ROSTER_DOCUMENT_REQUIRED: 'identityKey',
  ROSTER_NOT_LISTED: 'identityKey',
  ELIGIBILITY_IDENTITY_REQUIRED: 'identityKey',
  ROSTER_NAME_MISMATCH: 'name',
  ROSTER_PHONE_MISMATCH: 'phone',
};

/** A refusal of the host as a problem: on the field it is about, else on the button that retries. */
export function problemOf(err: unknown, retryId: string): Problem {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ApiFailure) {
    if (err.code === 'CONTACT_INVALID') return { fieldId: /phone|telefon|手机|电话/i.test(err.message) ? 'phone' : 'email', message };
    const fieldId = FIELD_OF_CODE[err.code];
    if (fieldId !== undefined) return { fieldId, message };
  }
  return { fieldId: retryId, message };
}
