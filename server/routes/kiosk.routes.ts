import { canPrint } from '../../core/queue/printer.ts';
import { spokenNumber } from '../../core/queue/voice.ts';
import { KioskInfoResponse, KioskVoiceQuery } from '../../contracts/kiosk.ts';
import type { ServerDeps } from '../deps.ts';
import { sendSpeech } from '../speak.ts';
import { requireDevice } from '../auth.ts';
import { missingField } from '../validation.ts';
import { ApiError } from '../errors.ts';
import type { PrintAgents } from '../print-agents.ts';
import type { Api } from './types.ts';

/** The kiosk asks about itself: its office's languages and priority categories, its printer. */
export function kioskRoutes(api: Api, deps: ServerDeps & { printAgents: PrintAgents }): void {
  api.get(
    '/kiosk',
    {
      schema: {
        tags: ['kiosk'],
        summary: 'The calling kiosk device: its office, languages, priority categories and printer state (kiosk device)',
        response: { 200: KioskInfoResponse },
      },
    },
    async (req) => {
      const kiosk = requireDevice(req.identity, 'kiosk');
      const office = await deps.queue.read((s) => s.getOffice(kiosk.officeId));
      if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
      const p = deps.printAgents.printer(kiosk.id);
      return {
        device: { id: kiosk.id, name: kiosk.name, officeId: kiosk.officeId, printer: kiosk.printer },
        printer:
          kiosk.printer === 'none'
            ? null
            : { state: p.state, isPaperNearEnd: p.isPaperNearEnd || p.state === 'near_end', isOutOfOrder: !canPrint(p.state) },
        office: {
          id: office.id,
          name: office.name,
          languages: [...office.languages],
          priorityCategories: office.settings.priorityCategories.map((c) => ({ id: c.id, names: { ...c.names } })),
        },
      };
    },
  );

  api.get(
    '/kiosk/voice',
    {
      schema: {
        tags: ['kiosk'],
        summary: 'WAV of one kiosk step ("Your number is A 17. Please take your ticket.") for accessibility mode (kiosk device)',
        querystring: KioskVoiceQuery,
      },
    },
    async (req, reply) => {
      requireDevice(req.identity, 'kiosk');
      const { lang, step, number } = req.query;
      if (step === 'issued' && number === undefined) throw new ApiError('VALIDATION_FAILED', { detail: missingField(req.t, 'querystring', 'number') });
      const text = req.t(`kioskVoice.${step}`, { lng: lang, number: number === undefined ? '' : spokenNumber(number) });
      return sendSpeech(deps, req, reply, lang, text);
    },
  );
}
