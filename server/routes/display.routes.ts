import { changeDisplaySettings, displaySettings } from '../../core/queue/display-settings.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { DisplaySettingsBody, DisplaySettingsResponse } from '../../contracts/display.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

/**
 * The hall display's settings: read by the office's displays (and staff), changed by an admin.
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
      const office = deps.queue.read((s) => s.getOffice(req.params.officeId));
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
      const r = await deps.queue.run((store) => changeDisplaySettings(store, { officeId: req.params.officeId, voiceLanguages: req.body.voiceLanguages }));
      if (!r.ok) throw ApiError.from(r.error);
      // Who changed what, until office settings get their own audit event (the back office).
      req.log.info({ officeId: r.value.officeId, userId: admin.id, voiceLanguages: r.value.voiceLanguages }, 'display settings changed');
      return r.value;
    },
  );
}
