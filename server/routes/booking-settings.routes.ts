import type { SettingsChangeVia } from '../../core/booking/model.ts';
import { bookingSettings, changeBookingSettings, type BookingSettings, type BookingSettingsPatch } from '../../core/booking/settings.ts';
import type { Language, Localized, UserRole } from '../../core/shared/model.ts';
import { BookingOfficeParams } from '../../contracts/booking.ts';
import { BookingSettingsBody, BookingSettingsResponse, CrisisBody, type BookingSettingsResponseT } from '../../contracts/booking-settings.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser, type Identity } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { unwrap, type Api } from './types.ts';

/** How many changes the settings answer lists. */
const HISTORY = 20;

/**
 * An office's online-booking switches without SQL: supervisors read them and flip the crisis
 * switch (all online booking stopped, with a message to the public); admins change the rest —
 * check-in, rules about people, retention. Each change is one unit of work and one
 * `booking:settings-changed` event saying who changed what; the answer lists the latest.
 */
export function bookingSettingsRoutes(api: Api, deps: ServerDeps): void {
  const b = deps.booking;
  const retention = b?.serviceRules?.retention;
  if (b === undefined || retention === undefined) return;

  const staff = async (identity: Identity, officeId: string, atLeast: UserRole) => {
    const user = requireUser(identity, atLeast);
    requireOffice(identity, officeId);
    if ((await deps.queue.read(async (store) => await store.getOffice(officeId))) === null) throw new ApiError('OFFICE_NOT_FOUND');
    return user;
  };

  const languagesOf = async (officeId: string): Promise<Language[]> => [...((await deps.queue.read(async (store) => await store.getOffice(officeId)))?.languages ?? [])];

  /** One text (an older client's) is the office's first language's message. */
  const perLanguage = async (officeId: string, message: string | Localized): Promise<Localized> =>
    typeof message === 'string' ? { [(await languagesOf(officeId))[0] ?? 'en']: message } : message;

  const view = async (s: BookingSettings): Promise<BookingSettingsResponseT> => ({
    ...s,
    languages: await languagesOf(s.officeId),
    history: await Promise.all((await deps.events.latestOfType(s.officeId, 'booking:settings-changed', HISTORY)).map(async (e) => ({
      id: e.id,
      at: e.at,
      userId: e.payload.userId,
      username: (await deps.access.userById(e.payload.userId))?.username ?? null,
      via: e.payload.via,
      changes: e.payload.changes,
    }))),
  });

  const change = async (officeId: string, userId: string, via: SettingsChangeVia, patch: BookingSettingsPatch): Promise<BookingSettingsResponseT> => {
    const r = await deps.queue.run(async (store) => await changeBookingSettings({ store, bookings: b.store, retention, clock: deps.clock }, { officeId, userId, via, patch }));
    return await view(unwrap(r).settings);
  };

  const response = { 200: BookingSettingsResponse };

  api.get(
    '/booking/offices/:officeId/settings',
    {
      schema: {
        tags: ['booking-admin'],
        summary: 'The office’s online-booking settings: crisis switch and message, check-in, rules about people, retention; the latest changes and who made them (supervisor or admin)',
        params: BookingOfficeParams,
        response,
      },
    },
    async (req) => {
      await staff(req.identity, req.params.officeId, 'supervisor');
      return await view(await bookingSettings({ bookings: b.store, retention }, req.params.officeId));
    },
  );

  api.put(
    '/booking/offices/:officeId/settings',
    {
      schema: {
        tags: ['booking-admin'],
        summary: 'Changes the online-booking settings: a partial update (what is not given keeps its value), in one transaction; answers the new settings (admin)',
        params: BookingOfficeParams,
        body: BookingSettingsBody,
        response,
      },
    },
    async (req) => {
      const user = await staff(req.identity, req.params.officeId, 'admin');
      const { suspendedMessage, ...rest } = req.body;
      return change(req.params.officeId, user.id, 'settings', { ...rest, ...(suspendedMessage === undefined ? {} : { suspendedMessage: await perLanguage(req.params.officeId, suspendedMessage) }) });
    },
  );

  api.post(
    '/booking/offices/:officeId/crisis',
    {
      schema: {
        tags: ['booking-admin'],
        summary: 'The crisis switch: stops (on) or resumes (off) all online booking; a message given replaces the one the public sees (supervisor or admin)',
        params: BookingOfficeParams,
        body: CrisisBody,
        response,
      },
    },
    async (req) => {
      const user = await staff(req.identity, req.params.officeId, 'supervisor');
      const { on, message } = req.body;
      return change(req.params.officeId, user.id, 'crisis', { suspended: on, ...(message === undefined ? {} : { suspendedMessage: await perLanguage(req.params.officeId, message) }) });
    },
  );
}
