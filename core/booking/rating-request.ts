import { message } from './notify.ts';
import type { BookingDeps } from './deps.ts';
import type { Booking } from './model.ts';
import type { Ticket } from '../shared/model.ts';

/**
 * Asks a booked client, by message, to rate the visit just served: only where the office asks for
 * it (`ratingMessage`) and takes ratings at all, and only to the contact the client booked with
 * (a walk-in left none). The link opens the ticket's own page, where the one-tap rating is; the
 * rating stays a number, so the message carries nothing back but the tap.
 * True when a message was queued.
 */
export async function requestRating(deps: BookingDeps, b: Booking, ticket: Ticket): Promise<boolean> {
  if (b.state !== 'done' || ticket.state !== 'done') return false;
  const office = await deps.store.getOffice(b.officeId);
  if (office === null || office.settings.ratingMessage !== true || office.settings.ratings === false) return false;
  if ((b.channel === 'email' ? b.emailSealed : b.phoneSealed) === null) return false;
  await message(deps, b, 'rating', { number: b.number, ratingUrl: `${deps.publicUrl}/t/${ticket.id}` }, deps.clock.now());
  return true;
}
