import type { KioskVoiceStep } from '../../contracts/kiosk.ts';
import { currentLang } from '../shared/i18n.ts';

/**
 * The kiosk's voice in accessibility mode: phrases the host renders from locale templates. A new
 * phrase stops the one still playing, so the voice never lags behind the screen.
 */
export class Speech {
  #audio: HTMLAudioElement | null = null;

  say(isOn: boolean, step: KioskVoiceStep, number?: string): void {
    if (!isOn) return;
    const q = new URLSearchParams({ lang: currentLang(), step });
    if (number !== undefined) q.set('number', number);
    this.#audio?.pause();
    this.#audio = new Audio(`/api/v1/kiosk/voice?${q.toString()}`);
    this.#audio.play().catch(() => undefined);
  }
}
