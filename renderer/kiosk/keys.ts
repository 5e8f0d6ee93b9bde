import { confirmCode, deleteDigit, typeDigit } from './actions.ts';
import type { Speech } from './speech.ts';
import type { Kiosk } from './state.ts';

/** A USB scanner (or a keyboard) types the booking code: digits, Backspace, Enter. */
export function bindKeys(k: Kiosk, speech: Speech): void {
  document.addEventListener('keydown', (e) => {
    if (k.state.screen.kind !== 'booking') return;
    if (/^[0-9]$/.test(e.key)) typeDigit(k, e.key);
    else if (e.key === 'Backspace') deleteDigit(k);
    else if (e.key === 'Enter') confirmCode(k, speech);
    else return;
    e.preventDefault();
  });
}
