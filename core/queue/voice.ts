import type { Language } from '../shared/model.ts';

/**
 * Speech for the hall display: the host turns a phrase into a WAV file (espeak-ng on the office's
 * server, so a display needs no speech engine of its own and works offline). Implementations
 * cache by (language, text): a busy lobby repeats the same few hundred phrases all day.
 */
export interface SpeechSynth {
  /** WAV bytes (RIFF, PCM) of `text` spoken in `lang`. Rejects when no engine is available. */
  wav(lang: Language, text: string): Promise<Uint8Array>;
}

/** A ticket number as the voice says it: "A017" → "A 17" (prefix letters apart, no leading zeros). */
export function spokenNumber(number: string): string {
  const m = /^([A-Z]{1,3})0*(\d+)$/.exec(number);
  if (m === null) return number;
  return `${m[1]!.split('').join(' ')} ${m[2]!}`;
}

/** Ticket numbers and counter numbers the voice route accepts: nothing else reaches the engine. */
export const SPOKEN_TICKET = /^[A-Z]{1,3}\d{1,6}$/;
export const SPOKEN_COUNTER = /^[A-Za-z0-9]{1,6}$/;
