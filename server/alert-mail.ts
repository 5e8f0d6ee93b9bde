import type { Alert } from '../core/alerts/alerts.ts';
import { alertSentence } from '../contracts/alerts.ts';
import type { ServerDeps } from './deps.ts';
import type { Translate } from './i18n.ts';
import { pickName } from './routes/office.routes.ts';

/**
 * The alert e-mail: when alerts are raised in an office that asked for it, one message per
 * supervisor or admin of the office who gave an address, through the outbox (retried, counted in
 * the statistics like every message). Called once per alert episode (when raised, not on every
 * look), in the office's first language; it names services and kiosks, nothing personal.
 */
export function alertMailer(deps: ServerDeps, tFor: (lang: string) => Translate): ((officeId: string, raised: readonly Alert[]) => Promise<void>) | undefined {
  const { booking, people } = deps;
  if (booking === undefined || people === undefined) return undefined;
  return async (officeId, raised) => {
    const office = await deps.queue.read((s) => s.getOffice(officeId));
    if (office === null) return;
    const to = (await people.listUsers(officeId)).filter((u) => (u.role === 'supervisor' || u.role === 'admin') && u.disabledAt === null && u.email !== null);
    if (to.length === 0) return;
    const lang = office.languages[0] ?? 'en';
    const t = tFor(lang);
    const services = new Map((await deps.queue.read((s) => s.listServices(officeId))).map((s) => [s.id, pickName(s.names, lang, office)]));
    const kiosks = new Map((await deps.access.listDevices(officeId)).map((d) => [d.id, d.name]));
    const names = { service: (id: string) => services.get(id) ?? id, kiosk: (id: string) => kiosks.get(id) ?? id };
    const alerts = raised.map((a) => `- ${alertSentence(a, names, t)}`).join('\n');
    const now = deps.clock.now();
    // One unit for the office's mails: the outbox is written inside the group commit, never beside it.
    await deps.queue.run(async () => {
      for (const u of to) {
        await booking.store.enqueue(
          { bookingId: null, officeId, channel: 'email', kind: 'alert', to: u.email!, language: lang, params: { office: office.name, count: raised.length, alerts }, notBefore: now },
          booking.secrets.id(),
          now,
        );
      }
    });
    booking.onQueued?.();
  };
}
