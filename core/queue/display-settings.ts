import type { Language, Office, OfficeSettings } from '../shared/model.ts';
import type { QueueStore } from './ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * What the hall display of an office is set to: the languages its voice announces a call in.
 * The screen shows every call at once; the voice follows, so every language it speaks is time
 * the hall waits for the next call to be heard — hence one language unless the office asks.
 */
export interface DisplaySettings {
  officeId: string;
  /** In the order spoken; never empty; each one of the office's languages. */
  voiceLanguages: Language[];
}

export function displaySettings(office: Office): DisplaySettings {
  const chosen = (office.settings.voiceLanguages ?? []).filter((l) => office.languages.includes(l));
  const first = office.languages[0] ?? 'en';
  return { officeId: office.id, voiceLanguages: chosen.length > 0 ? [...chosen] : [first] };
}

/** Why a list of voice languages is refused for an office, or null when it is fine. */
export function invalidVoiceLanguages(office: Office, langs: readonly Language[]): string | null {
  if (langs.length === 0) return 'voiceLanguages needs at least one language';
  if (new Set(langs).size !== langs.length) return 'voiceLanguages lists a language twice';
  const foreign = langs.find((l) => !office.languages.includes(l));
  if (foreign !== undefined) return `voiceLanguages: ${foreign} is not a language of this office (${office.languages.join(', ')})`;
  return null;
}

/** Sets the voice languages of an office's displays (inside the caller's unit of work). */
export async function changeDisplaySettings(
  store: Pick<QueueStore, 'getOffice' | 'setOfficeSettings'>,
  req: { officeId: string; voiceLanguages: readonly Language[] },
): Promise<Result<DisplaySettings>> {
  const office = await store.getOffice(req.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const bad = invalidVoiceLanguages(office, req.voiceLanguages);
  if (bad !== null) return fail('VALIDATION_FAILED', { detail: bad });
  const settings: OfficeSettings = { ...office.settings, voiceLanguages: [...req.voiceLanguages] };
  await store.setOfficeSettings(office.id, settings);
  return ok({ officeId: office.id, voiceLanguages: [...req.voiceLanguages] });
}
