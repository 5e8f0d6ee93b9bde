import { z } from 'zod';

/**
 * What anyone may read of an office (`GET /offices/:officeId/public`): its name, address and
 * public contact, the data controller the privacy page names, and the periods that page states —
 * all read from the office's configuration and settings. Nothing about people, no secrets; the
 * schema lists every field, so the answer carries nothing else.
 */
export const PublicOfficeResponse = z.object({
  officeId: z.string(),
  /** In the reader's language (`?lang=` or Accept-Language), else the office's first. */
  name: z.string(),
  address: z.object({ lines: z.array(z.string()), postalCode: z.string().optional(), city: z.string(), country: z.string() }).nullable(),
  /** Null when the office gave none of phone, e-mail and web. */
  contact: z.object({ phone: z.string().optional(), email: z.string().optional(), web: z.string().optional() }).nullable(),
  /** Null until the office names its data controller (the back office's office section). */
  dataController: z.string().nullable(),
  privacy: z.object({
    /** Days after a booking's day its personal data is deleted. */
    retentionDays: z.number().int(),
    /** Days a booking's number, time and state stay readable by its number (without personal data). */
    statusDays: z.number().int(),
    /** Days a no-show is barred from booking online (0 = never); its fingerprints are kept that long. */
    noShowBanDays: z.number().int(),
    /** Days one caught with fictitious data is barred. */
    fictitiousBanDays: z.number().int(),
    /** A service records results (an exam passed) that later bookings' rules count from: kept, with the identity key's fingerprint, past the retention period. */
    keepsOutcomes: z.boolean(),
  }),
});
export type PublicOfficeT = z.infer<typeof PublicOfficeResponse>;

type AddressLike = { lines: readonly string[]; postalCode?: string | undefined; city: string };

/** The address on one line, as a ticket or a footer prints it: `náměstí 1, 123 45 Kostelec` (the country goes without saying). */
export function addressLine(a: AddressLike): string {
  const city = a.postalCode === undefined ? a.city : `${a.postalCode} ${a.city}`;
  return [...a.lines, city].join(', ');
}

/** A web address as people read it: without `https://` and a bare trailing slash. */
export const webLabel = (url: string): string => url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
