import type { Keyed } from './ports.ts';
import type { BookingDeps } from './deps.ts';
import type { Booking, ConfirmChannel, MessageKind } from './model.ts';
import { resendCooldownMs, SMS_CODE_TRIES, SMS_CODE_TTL_MS } from './codes.ts';
import { pickText } from './availability.ts';

export const codeHash = (keyed: Keyed, bookingId: string, code: string): string => keyed.hmac('sms-code', `${bookingId}:${code}`);

/** Queues a message about a booking to its contact (sealed at rest in the outbox), in the booking's language. */
export async function message(deps: BookingDeps, b: Booking, kind: MessageKind, params: Record<string, string | number>, notBefore: number, channel: ConfirmChannel = b.channel): Promise<void> {
  const sealed = channel === 'email' ? b.emailSealed : b.phoneSealed;
  if (sealed === null) return;
  const to = deps.keyed.open(sealed);
  if (to === null) throw new Error(`contact of booking ${b.id} cannot be opened`);
  const office = await deps.store.getOffice(b.officeId);
  const service = await deps.store.getService(b.serviceId);
  const now = deps.clock.now();
  await deps.bookings.enqueue(
    {
      bookingId: b.id,
      officeId: b.officeId,
      channel,
      kind,
      to,
      language: b.language,
      params: {
        office: office?.name ?? '',
        service: service !== null && office !== null ? pickText(service.names, b.language, office) : '',
        timeZone: office?.timeZone ?? 'UTC',
        startAt: b.startAt,
        ...params,
      },
      notBefore,
    },
    deps.secrets.id(),
    now,
  );
}

/** Queues the confirmation request of a held booking: an e-mail link or an SMS code. */
export async function sendConfirmation(deps: BookingDeps, booking: Booking, now: number): Promise<void> {
  if (booking.channel === 'email') {
    const token = deps.secrets.token();
    const minutes = Math.max(1, Math.round((booking.holdExpiresAt - now) / 60_000));
    // Valid as long as the hold can last (with its one extension); the hold decides in the end.
    await deps.bookings.insertToken(deps.keyed.hashToken(token), booking.id, 'confirm', now + 2 * (booking.holdExpiresAt - now));
    await message(deps, booking, 'confirm-link', { url: `${deps.publicUrl}/portal/?confirm=${token}`, minutes }, now);
  } else {
    await sendCode(deps, booking, 1, now);
  }
}

export async function sendCode(deps: BookingDeps, b: Booking, sends: number, now: number): Promise<void> {
  const code = deps.secrets.digits(6);
  await deps.bookings.putSmsCode({
    bookingId: b.id,
    codeHash: codeHash(deps.keyed, b.id, code),
    expiresAt: now + SMS_CODE_TTL_MS,
    triesLeft: SMS_CODE_TRIES,
    sends,
    resendAfter: now + resendCooldownMs(sends),
  });
  const host = /^https?:\/\/([^/:]+)/.exec(deps.publicUrl)?.[1] ?? 'localhost';
  await message(deps, b, 'confirm-code', { code, minutes: SMS_CODE_TTL_MS / 60_000, host }, now, 'sms');
}
