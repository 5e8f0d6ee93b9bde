import type { Slot } from './model.ts';
import type { SlotSpec } from '../queue/capacity.ts';

/**
 * A day's stored slots against the hours in force now. Slots are stored once per day (their
 * places then fixed), but the hours can change afterwards: the service's or the office's weekly
 * hours, a changed day, a break. The offer is therefore decided when slots are read, not when the
 * configuration is written: a read and the reserve that follows it see one configuration, so
 * there is no second copy of the hours (the stored slots) to keep in step inside the
 * configuration's transaction, on either store, and no day can be missed by a re-cut. Stored
 * slots are never rewritten: a booked one outside the new hours stays its booking's (moving or
 * cancelling it is the office-change step's business), an empty one is simply no longer offered.
 */

/** Whether a slot of `len` minutes from `startMin` lies whole inside one of the day's open intervals. */
export const insideHours = (hours: readonly (readonly [number, number])[], startMin: number, len: number): boolean =>
  hours.some(([from, to]) => startMin >= from && startMin + len <= to);

/** The minutes a stored slot covers: its own length when stored, else (stored before lengths were kept) the length in force. */
export const slotMinutes = (s: Pick<Slot, 'minutes'>, len: number): number => s.minutes ?? len;

/**
 * Starts of the current cut (slots of `len` minutes) that no offered slot covers: time opened
 * since the day was stored. Each offered slot covers its own length: after the service's slot
 * length changed, a new slot never overlaps a kept one.
 */
export function uncoveredStarts(starts: readonly number[], offered: readonly Pick<Slot, 'startMin' | 'minutes'>[], len: number): number[] {
  return starts.filter((m) => !offered.some((s) => m < s.startMin + slotMinutes(s, len) && s.startMin < m + len));
}

/**
 * The slots to add for time opened since the day was stored: the current cut's at the uncovered
 * starts, earliest first, their places capped so that the day never offers more than its online
 * places now (kept slots' places included). A day whose places simply ran out before its last
 * hour therefore gains nothing from being read again; only new time gets new places.
 */
export function openedSlots(kept: readonly Pick<Slot, 'places'>[], cut: readonly SlotSpec[], uncovered: readonly number[], online: number): SlotSpec[] {
  let left = online - kept.reduce((n, s) => n + s.places, 0);
  const out: SlotSpec[] = [];
  for (const s of cut) {
    if (left <= 0) break;
    if (!uncovered.includes(s.startMin)) continue;
    const places = Math.min(s.places, left);
    left -= places;
    out.push({ ...s, places });
  }
  return out;
}
