import type { PersonRuleStore } from '../ports.ts';
import type { Ban, NoShowRecord, RuleDecision } from '../model.ts';
import { byKeys, matchesPerson } from './person-match.ts';

type NoShow = NoShowRecord & { excusedAt: number | null; noticedAt: number | null };

/** In-memory rules about people: no-shows, staff bans, decisions. */
export function memoryPersonRuleStore() {
  const noShows = new Map<string, NoShow>();
  const bans = new Map<string, Ban>();
  const decisions: RuleDecision[] = [];
  const view = ({ noticedAt: _noticed, ...r }: NoShow) => ({ ...r });
  const noShowList = (pred: (r: NoShow) => boolean, order: (a: NoShow, b: NoShow) => number, limit = Infinity) =>
    [...noShows.values()].filter(pred).sort(order).slice(0, limit).map(view);
  const latestFirst = byKeys<NoShow>((r) => -r.at);
  const inForce = (b: Ban, now: number): boolean => b.liftedAt === null && b.startsAt <= now && b.endsAt > now;

  return {
    recordNoShow: async (r) => {
      if (!noShows.has(r.bookingId)) noShows.set(r.bookingId, { ...r, excusedAt: null, noticedAt: null });
    },
    excuseNoShow: async (bookingId, at) => {
      const r = noShows.get(bookingId);
      if (r !== undefined && r.excusedAt === null) r.excusedAt = at;
    },
    noShows: async (officeId) => noShowList((r) => r.officeId === officeId, byKeys((r) => r.at, (r) => r.bookingId)),
    noShowsToNotice: async (limit) => noShowList((r) => r.noticedAt === null, byKeys((r) => r.at, (r) => r.bookingId), limit),
    markNoShowNoticed: async (bookingId, at) => {
      const r = noShows.get(bookingId);
      if (r !== undefined && r.noticedAt === null) r.noticedAt = at;
    },
    noShowsOf: async (officeId, person, since) =>
      noShowList((r) => r.officeId === officeId && matchesPerson(r, person) && r.at > since && r.excusedAt === null, latestFirst),
    noShowsSince: async (officeId, since) => noShowList((r) => r.officeId === officeId && r.at > since && r.excusedAt === null, latestFirst),
    insertBan: async (ban) => {
      if (bans.has(ban.id)) throw new Error(`ban ${ban.id} exists`);
      bans.set(ban.id, { ...ban, liftedAt: null, liftedBy: null, liftReason: null });
    },
    bansOf: async (officeId, person, now) => [...bans.values()].filter((b) => b.officeId === officeId && matchesPerson(b, person) && inForce(b, now)).map((b) => ({ ...b })),
    bansInForce: async (officeId, now) =>
      [...bans.values()]
        .filter((b) => b.officeId === officeId && inForce(b, now))
        .sort(byKeys((b) => -b.endsAt))
        .map((b) => ({ ...b })),
    liftBan: async (id, at, by, reason) => {
      const b = bans.get(id);
      if (b === undefined || b.liftedAt !== null) return null;
      Object.assign(b, { liftedAt: at, liftedBy: by, liftReason: reason });
      return { ...b };
    },
    recordDecision: async (d) => {
      if (!decisions.some((x) => x.id === d.id)) decisions.push({ ...d });
    },
    decisionsAbout: async (ref) =>
      decisions
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => (ref.bookingId !== undefined && d.bookingId === ref.bookingId) || (ref.attemptId !== undefined && (d.id === ref.attemptId || d.applicationId === ref.attemptId)))
        .sort(byKeys(({ d }) => d.at, ({ i }) => i))
        .map(({ d }) => ({ ...d })),
  } satisfies PersonRuleStore;
}
