import { spokenNumber } from '../../core/queue/voice.ts';
import { VoiceQuery } from '../../contracts/screens.ts';
import type { ServerDeps } from '../deps.ts';
import { sendSpeech } from '../speak.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

/**
 * Spoken announcements for the hall display. The phrase is built here from the locale template
 * (`voice.call`) and a validated ticket and counter number — never free text from the caller —
 * then synthesised by the host's speech engine and cached there.
 */
export function announceRoutes(api: Api, deps: ServerDeps): void {
  api.get(
    '/announcements/voice',
    {
      schema: {
        tags: ['display'],
        summary: 'WAV of "Ticket A 17, counter 3" in one language (display devices and staff)',
        querystring: VoiceQuery,
      },
    },
    async (req, reply) => {
      const id = req.identity;
      if (id.kind === 'anonymous') throw new ApiError('AUTH_REQUIRED');
      // Displays and staff only: a kiosk speaks its own steps (GET /kiosk/voice), not calls.
      if (id.kind === 'device' && id.device.kind !== 'display') throw new ApiError('FORBIDDEN');
      const { lang, number, counter, recall } = req.query;
      const t = req.t;
      const text = t(recall === '1' ? 'voice.recall' : 'voice.call', { lng: lang, number: spokenNumber(number), counter });
      return sendSpeech(deps, req, reply, lang, text);
    },
  );
}
