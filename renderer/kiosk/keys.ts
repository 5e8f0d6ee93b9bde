import { confirmCode, deleteDigit, typeDigit } from './actions.ts';
import { openSettings } from './views/settings.ts';
import type { Speech } from './speech.ts';
import type { Kiosk } from './state.ts';

/** A USB scanner (or a keyboard) types the booking code: digits, Backspace, Enter; Ctrl+Alt+S opens the staff settings. */
export function bindKeys(k: Kiosk, speech: Speech): void {
  document.addEventListener('keydown', (e) => {
    // Staff with a keyboard: the settings, behind their sign-in.
    if (e.ctrlKey && e.altKey && e.key.toLowerCase() === 's' && k.state.info !== null && k.state.pairing === null) {
      e.preventDefault();
      openSettings(k);
      return;
    }
    if (k.state.screen.kind !== 'booking') return;
    if (/^[0-9]$/.test(e.key)) typeDigit(k, e.key);
    else if (e.key === 'Backspace') deleteDigit(k);
    else if (e.key === 'Enter') confirmCode(k, speech);
    else return;
    e.preventDefault();
  });
}
