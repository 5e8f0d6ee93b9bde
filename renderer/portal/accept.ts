import { AcceptChangePeekResponse, AcceptChangeResponse } from '../../contracts/office-change.ts';
import { api } from '../shared/api.ts';
import type { Portal, ScreenOf } from './state.ts';
import { problemOf } from './validate.ts';

/**
 * The link of an office-change message (`?accept=<token>&was=<old start>`): the page reads what
 * the link names (a read: mail scanners open links) and only the button's POST accepts the new
 * time. The old time comes from the link itself: the booking keeps only its new one.
 */

export async function peekChange(token: string): Promise<ScreenOf<'accept'>['peek']> {
  return api('GET', `/booking/accept-change/${encodeURIComponent(token)}`, AcceptChangePeekResponse);
}

/** `was` from the link: an instant in ms, or null when the link carries none (or nonsense). */
export function wasOf(raw: string | null): number | null {
  const n = raw === null || !/^\d{1,15}$/.test(raw) ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function acceptChange(p: Portal, s: ScreenOf<'accept'>): void {
  p.actions.run(
    'accept',
    async () => {
      const r = await api('POST', '/booking/accept-change', AcceptChangeResponse, { token: s.token });
      if (p.state.screen !== s) return;
      s.peek = { ...s.peek, acceptedAt: r.acceptedAt, startAt: r.startAt };
      s.problems = [];
      p.update();
    },
    (err) => {
      if (p.state.screen !== s) return;
      s.problems = [problemOf(err, 'accept-button')];
      p.update();
    },
  );
}
