import { changeDisplaySettings, displaySettings, invalidVoiceLanguages } from '../../core/queue/display-settings.ts';
import { mayConfigure } from '../../core/config/access.ts';
import { changeConfig } from '../../core/config/change.ts';
import { ok } from '../../core/shared/result.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { DisplaySettingsBody, DisplaySettingsResponse } from '../../contracts/display.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

/**
 * The hall display's settings: read by the office's displays (and staff), changed by an admin
 * (the office configuration's `office.voiceLanguages`, audited like every configuration change).
 * A change reaches a display when it next reads them (at start, after a reconnection, and every
 * few minutes).
 */
export function displayRoutes(api: Api, deps: ServerDeps): void {
  api.get(
    '/offices/:officeId/display-settings',
    {
      schema: {
        tags: ['display'],
        summary: 'The languages the hall display announces a call in, in order (devices and staff of the office)',
        params: OfficeParams,
        response: { 200: DisplaySettingsResponse },
      },
    },
    async (req) => {
      requireOffice(req.identity, req.params.officeId);
      // Displays and staff: a kiosk has no business with the hall's voice.
      if (req.identity.kind === 'device' && req.identity.device.kind !== 'display') throw new ApiError('FORBIDDEN');
      const office = await deps.queue.read(async (s) => await s.getOffice(req.params.officeId));
      if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
      return displaySettings(office);
    },
  );

  api.put(
    '/offices/:officeId/display-settings',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sets the languages the hall display announces a call in: the office’s languages, each once, in the order spoken (admin)',
        params: OfficeParams,
        body: DisplaySettingsBody,
        response: { 200: DisplaySettingsResponse },
      },
    },
    async (req) => {
      const admin = requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      const { officeId } = req.params;
      const { voiceLanguages } = req.body;
      if (deps.config === undefined) {
        const r = await deps.queue.run(async (store) => await changeDisplaySettings(store, { officeId, voiceLanguages }));
        if (!r.ok) throw ApiError.from(r.error);
        return r.value;
      }
      // The voice languages are part of the office's configuration: the same change, audit and event as the back office's.
      const office = await deps.queue.read(async (s) => await s.getOffice(officeId));
      if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
      const bad = invalidVoiceLanguages(office, voiceLanguages);
      if (bad !== null) throw new ApiError('VALIDATION_FAILED', { detail: bad });
      const r = await changeConfig(
        { config: deps.config },
        {
          officeId,
          build: (current) => ok({ office: { ...current.office, voiceLanguages } }),
          preview: false,
          userId: admin.id,
          via: 'api',
          allowed: (sections) => mayConfigure(admin, officeId, sections),
          now: deps.clock.now(),
        },
      );
      if (!r.ok) throw ApiError.from(r.error);
      if (r.value.event !== null) req.server.broadcast([r.value.event]);
      return { officeId, voiceLanguages: [...r.value.config.office.voiceLanguages] };
    },
  );
}
