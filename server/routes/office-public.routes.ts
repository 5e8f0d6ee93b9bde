import { DEFAULT_RULES } from '../../core/booking/model.ts';
import { DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../core/booking/retention.ts';
import type { AddressData, ContactData } from '../../core/shared/model.ts';
import { LangQuery } from '../../contracts/booking.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { PublicOfficeResponse, type PublicOfficeT } from '../../contracts/office-public.ts';
import type { ServerDeps } from '../deps.ts';
import { PUBLIC } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { asLanguage } from '../i18n.ts';
import type { Api } from './types.ts';
import { pickName } from './office.routes.ts';

/**
 * What the portal's footer and privacy page, and the ticket's page, show of an office: its name,
 * address, public contact and data controller, and the periods the privacy page states, read
 * from the office's own settings (retention, bans) so that the page says what the host does.
 */
export function officePublicRoutes(api: Api, deps: ServerDeps): void {
  api.get(
    '/offices/:officeId/public',
    {
      config: PUBLIC,
      schema: {
        tags: ['office'],
        summary: 'The office’s name, address, public contact and data controller, and how long personal data is kept (public)',
        params: OfficeParams,
        querystring: LangQuery,
        response: { 200: PublicOfficeResponse },
      },
    },
    async (req) => {
      const [office, services] = await deps.queue.read(async (store) => [await store.getOffice(req.params.officeId), await store.listServices(req.params.officeId)] as const);
      if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
      const lang = (req.query.lang === undefined ? null : asLanguage(req.query.lang)) ?? req.lang;
      const b = deps.booking;
      const rules = b === undefined ? DEFAULT_RULES : (await b.store.officeSettings(office.id)).rules;
      const retentionDays = (await b?.serviceRules?.retention.retentionDays(office.id)) ?? DEFAULT_RETENTION_DAYS;
      const rulesStore = b?.serviceRules?.rules;
      // Results a clerk records (an exam passed) outlive the purge: the rules about later bookings count from them.
      const keepsOutcomes = rulesStore !== undefined && (await Promise.all(services.map(async (x) => ((await rulesStore.serviceRules(x.id))?.outcomes.length ?? 0) > 0))).some(Boolean);
      const answer: PublicOfficeT = {
        officeId: office.id,
        name: office.names === undefined ? office.name : pickName(office.names, lang, office) || office.name,
        address: publicAddress(office.address ?? null),
        contact: publicContact(office.contact ?? null),
        dataController: office.contact?.dataController ?? null,
        privacy: {
          // The purge never runs sooner than the minimum, whatever is stored (core/booking/retention.ts).
          retentionDays: Math.max(MIN_RETENTION_DAYS, retentionDays),
          statusDays: MIN_RETENTION_DAYS,
          noShowBanDays: rules.noShowBanDays,
          fictitiousBanDays: rules.fictitiousBanDays,
          keepsOutcomes,
        },
      };
      return answer;
    },
  );
}

const publicAddress = (a: AddressData | null): PublicOfficeT['address'] =>
  a === null ? null : { lines: [...a.lines], ...(a.postalCode === undefined ? {} : { postalCode: a.postalCode }), city: a.city, country: a.country };

/** Phone, e-mail and web, those given; null when none is. */
function publicContact(c: ContactData | null): PublicOfficeT['contact'] {
  if (c === null) return null;
  const out = { ...(c.phone === undefined ? {} : { phone: c.phone }), ...(c.email === undefined ? {} : { email: c.email }), ...(c.web === undefined ? {} : { web: c.web }) };
  return Object.keys(out).length === 0 ? null : out;
}
