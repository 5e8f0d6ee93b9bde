import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { MESSAGE_TEMPLATE_KINDS } from '../core/templates/model.ts';
import { CheckInShape, RulesShape, retentionDays } from './booking-settings.ts';
import { ConfigId, OfficeConfig } from './office-config.ts';
import { MessageTemplate, TicketTemplate } from './templates.ts';
import { CreateWebhookBody } from './webhooks.ts';

/**
 * The office file (`fronta office export|apply`): the office's configuration (OfficeConfig, the
 * API's `/offices/:id/config`) and the parts of the configuration kept apart from it, each with
 * the schema its own API reads: the online-booking settings (`/booking/offices/:id/settings`,
 * without the crisis switch, which is the state of a day), the office's own message and ticket
 * templates (`/offices/:id/templates`) and its webhook subscriptions (`/offices/:id/webhooks`,
 * never their secrets). A part left out of a file is left as it is by an apply.
 */

/** Check-in, the rules about people and the retention period, whole (a file says every value). */
export const FileBookingSettings = z.strictObject({
  checkIn: z.strictObject(CheckInShape),
  rules: z.strictObject(RulesShape),
  retentionDays,
});

const byLanguage = <T extends z.ZodType>(template: T) => z.partialRecord(z.enum(LANGUAGES), template);

/** The templates the office changed, by kind and language; one not named is Fronta's default. */
export const FileTemplates = z.strictObject({
  ...(Object.fromEntries(MESSAGE_TEMPLATE_KINDS.map((k) => [k, byLanguage(MessageTemplate).optional()])) as Record<
    (typeof MESSAGE_TEMPLATE_KINDS)[number],
    z.ZodOptional<ReturnType<typeof byLanguage<typeof MessageTemplate>>>
  >),
  ticket: byLanguage(TicketTemplate).optional(),
});

/** A webhook subscription as configuration: where, what, which extra fields. Its secret, state and progress stay in the install. */
export const FileWebhook = z.strictObject({ id: ConfigId, ...CreateWebhookBody.shape });

export const OfficeFile = OfficeConfig.extend({
  booking: FileBookingSettings.optional(),
  templates: FileTemplates.optional(),
  webhooks: z.array(FileWebhook).max(50).optional(),
});

/** The parts of the file outside OfficeConfig, in the file's order. */
export const FILE_PARTS = ['booking', 'templates', 'webhooks'] as const;

export type FileBookingSettingsT = z.infer<typeof FileBookingSettings>;
export type FileTemplatesT = z.infer<typeof FileTemplates>;
export type FileWebhookT = z.infer<typeof FileWebhook>;
export type OfficeFileT = z.infer<typeof OfficeFile>;
