import { BookingSettingsResponse } from '../../contracts/booking-settings.ts';
import { ServiceClosedResponse } from '../../contracts/screens.ts';
import { api } from '../shared/api.ts';
import { isLang, LANG_NAMES, t } from '../shared/i18n.ts';
import { load } from './sync.ts';
import { fail, page, resetCrisisForm, running, state } from './state.ts';

/** What the supervisor does: close a service for the day, stop and resume online booking. */

export const crisisFieldId = (lang: string): string => `crisis-message-${lang}`;

/** Stopping needs the message in every office language (the public reads its own); resuming needs nothing. */
export function setCrisis(on: boolean): void {
  const b = state.booking;
  if (b === null) return;
  const messages = Object.fromEntries(b.languages.map((l) => [l, (state.crisis.messages[l] ?? '').trim()]));
  if (on) {
    state.crisis.errors = b.languages
      .filter((l) => messages[l] === '')
      .map((l) => ({ fieldId: crisisFieldId(l), message: isLang(l) ? t('floor.booking.messageMissing', { language: LANG_NAMES[l] }) : l }));
    if (state.crisis.errors.length > 0) {
      page.update();
      return;
    }
    if (!confirm(t('floor.booking.confirmStop'))) return;
  }
  running.run(
    'crisis',
    async () => {
      state.booking = await api('POST', `/booking/offices/${state.me!.officeId}/crisis`, BookingSettingsResponse, on ? { on, message: messages } : { on });
      resetCrisisForm();
      state.message = '';
    },
    fail,
  );
}

export function closeForDay(serviceId: string, name: string): void {
  if (!confirm(t('floor.confirmClose', { service: name }))) return;
  running.run(
    `close:${serviceId}`,
    async () => {
      await api('POST', `/offices/${state.me!.officeId}/services/${serviceId}/close-for-day`, ServiceClosedResponse);
      state.message = '';
      await load();
    },
    fail,
  );
}
