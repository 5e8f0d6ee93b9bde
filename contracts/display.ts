import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';

/** An office's hall-display settings: the languages a call is announced in, in order. */
export const DisplaySettingsResponse = z.object({
  officeId: z.string(),
  voiceLanguages: z.array(z.enum(LANGUAGES)).min(1),
});
export type DisplaySettingsResponseT = z.infer<typeof DisplaySettingsResponse>;

/** The admin's change (the core checks they are the office's languages, each once). */
export const DisplaySettingsBody = z.object({
  voiceLanguages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length),
});
