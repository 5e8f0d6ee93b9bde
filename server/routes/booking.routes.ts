import type { FastifyRequest } from 'fastify';
import { availability, pickText, daySlots } from '../../core/booking/availability.ts';
import { cancelBooking, lookupBooking } from '../../core/booking/cancel.ts';
import { confirmByCode, confirmByLink, peekConfirmToken, resendCode } from '../../core/booking/confirm.ts';
import { extendHold, holdRefusal, holdSlot, holdView, releaseHold } from '../../core/booking/hold.ts';
import { DEFAULT_RETENTION_DAYS } from '../../core/booking/retention.ts';
import { applyForDay, ensureDraw } from '../../core/booking/draw.ts';
import type { Language } from '../../core/shared/model.ts';
import { localTime } from '../../core/shared/office-time.ts';
import { addDays, dayStatus } from '../../core/booking/release.ts';
import {
  ApplyBody,
  ApplyResponse,
  BookingOfficeParams,
  LangQuery,
  BookingServicesResponse,
  CancelBody,
  CodeBody,
  ConfirmPeekResponse,
  DayParams,
  DaysResponse,
  DrawResponse,
  HoldBody,
  HoldResponse,
  NumberParams,
  OwnBooking,
  SecretParams,
  ServiceParams,
  SlotsResponse,
  StatusResponse,
  TokenBody,
  TokenParams,
} from '../../contracts/booking.ts';
import type { ServerDeps } from '../deps.ts';
import { PUBLIC } from '../auth.ts';
import { ApiError, sendDomainError } from '../errors.ts';
import { asLanguage, negotiateLanguage } from '../i18n.ts';
import { bookingIcs } from '../ics.ts';
import { unwrap, type Api } from './types.ts';
import { bookingRouteContext, isLang } from './booking.context.ts';

export function bookingRoutes(api: Api, deps: ServerDeps): void {
  const b = deps.booking;
  if (b === undefined) return;
  const { core, holdLimit, guessLimit, lookupLimit, attempt, write, refuseIfCancelled, when, own, drawView, settleOrderOf } = bookingRouteContext(deps, b);

  api.get(
    '/booking/offices/:officeId/services',
    {
      config: PUBLIC,
      schema: {
        tags: ['booking'],
        summary: 'Services bookable online, with their rules; whether booking is suspended and why, in the reader’s language (?lang= or Accept-Language; else the office’s first) (public)',
        params: BookingOfficeParams,
        querystring: LangQuery,
        response: { 200: BookingServicesResponse },
      },
    },
    async (req) =>
      await deps.queue.read(async (store) => {
        const office = await store.getOffice(req.params.officeId);
        if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
        // A reader whose language is not known reads the office's first, as the message falls back to.
        const lang = (req.query.lang === undefined ? null : asLanguage(req.query.lang)) ?? negotiateLanguage(req.headers['accept-language'], office.languages[0] ?? 'en');
        const settings = await b.store.officeSettings(office.id);
        const departments = new Map((await store.listDepartments(office.id)).map((d) => [d.id, pickText(d.names, lang, office)]));
        // Fees are taken only where a payment provider is configured; elsewhere every service is free.
        const configured = deps.fees === undefined ? null : ((await deps.config?.load(office.id)) ?? null);
        const feeOf = (serviceId: string) => {
          const fee = configured?.config.services.find((x) => x.id === serviceId)?.online?.fee ?? null;
          return fee === null ? null : { amount: fee.amount, currency: fee.currency, deadlineMin: fee.deadlineMin };
        };
        return {
          officeId: office.id,
          officeName: office.name,
          timeZone: office.timeZone,
          suspended: settings.suspended,
          suspendedMessage: settings.suspended ? pickText(settings.suspendedMessage, lang, office) : '',
          today: localTime(office.timeZone, deps.clock.now()).date,
          retentionDays: await b.serviceRules?.retention.retentionDays(office.id) ?? DEFAULT_RETENTION_DAYS,
          services: (
            await Promise.all(
              (await store.listServices(office.id)).map(async (s) => {
            const p = await b.store.policy(s.id);
            if (p === null) return [];
            return [
              {
                id: s.id,
                name: pickText(s.names, lang, office),
                department: departments.get(s.departmentId) ?? '',
                roster: (await b.serviceRules?.rules.serviceRules(s.id))?.roster === true,
                policy: {
                  allocation: p.allocation,
                  confirmBy: [...p.confirmBy],
                  horizonDays: p.horizonDays,
                  earliestDays: p.earliestDays,
                  holdMin: p.holdMin,
                  slotMin: p.slotMin,
                  identityKey: p.identityKey == null ? null : { required: p.identityKey.required, label: pickText(p.identityKey.label, lang, office) },
                },
                fee: feeOf(s.id),
              },
            ];
              }),
            )
          ).flat(),
        };
      }),
  );

  api.get(
    '/booking/services/:serviceId/days',
    { config: PUBLIC, schema: { tags: ['booking'], summary: 'Days of the horizon with their status and free places (public)', params: ServiceParams, response: { 200: DaysResponse } } },
    async (req) =>
      await deps.queue.read(async (store) => {
        const service = await store.getService(req.params.serviceId);
        const office = service === null ? null : await store.getOffice(service.officeId);
        const policy = service === null ? null : await b.store.policy(service.id);
        if (service === null || office === null) throw new ApiError('SERVICE_NOT_FOUND');
        if (policy === null) throw new ApiError('BOOKING_NOT_OFFERED');
        const now = deps.clock.now();
        const today = localTime(office.timeZone, now).date;
        const days = [];
        for (let i = 0; i <= policy.horizonDays; i++) {
          const day = addDays(today, i);
          const st = dayStatus(policy, office, day, now, service);
          const free =
            st.kind === 'open'
              ? (await daySlots({ store, bookings: b.store }, { office, service, policy }, day))
                  .filter((s) => s.startAt > now)
                  .reduce((n, s) => n + s.places - s.taken, 0)
              : 0;
          days.push({ day, status: st.kind, opensAt: st.kind === 'not-yet' ? st.opensAt : null, free });
        }
        return { serviceId: service.id, days };
      }),
  );

  api.get(
    '/booking/services/:serviceId/days/:day/slots',
    { config: PUBLIC, schema: { tags: ['booking'], summary: 'Times of a day with their free places (public, live)', params: DayParams, response: { 200: SlotsResponse } } },
    async (req) =>
      await deps.queue.read(async (store) => {
        const a = unwrap(await availability({ store, bookings: b.store, clock: deps.clock }, req.params.serviceId, req.params.day));
        const office = (await store.getOffice((await store.getService(a.serviceId))!.officeId))!;
        return {
          serviceId: a.serviceId,
          day: a.day,
          status: a.status.kind,
          opensAt: a.status.kind === 'not-yet' ? a.status.opensAt : null,
          allocation: a.allocation,
          slots: a.slots.map((s) => ({ id: s.id, startAt: s.startAt, time: when(office, s.startAt).time, free: s.free })),
        };
      }),
  );

  api.post(
    '/booking/holds',
    {
      config: holdLimit,
      schema: { tags: ['booking'], summary: 'Holds a place while the client confirms (first come, first served); sends the link or code', body: HoldBody, response: { 201: HoldResponse } },
    },
    async (req, reply) => {
      const lang = req.lang;
      // Refusals that need no write (sold out, slot full, day closed) are answered from a read,
      // without joining a group commit: in a release rush that is most attempts.
      const refused = await deps.queue.read(async (store) => await holdRefusal(core(store), { ...req.body, language: lang }));
      if (refused !== null) return sendDomainError(req, reply, refused);
      const r = await attempt(async (d) => await holdSlot(d, { ...req.body, language: lang }));
      if (!r.ok) return sendDomainError(req, reply, r.error);
      const held = r.value;
      void reply.status(201);
      return { holdKey: held.holdKey, booking: await deps.queue.read(async (store) => own(store, held.booking, lang)) };
    },
  );

  const ownBy = async (req: FastifyRequest, key: string) =>
    await deps.queue.read(async (store) => own(store, unwrap(await holdView(core(store), key)), isLang(req.lang) ? req.lang : 'en'));

  api.get(
    '/booking/holds/:key',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'The hold (or the booking it became), seen by its holder', params: SecretParams, response: { 200: OwnBooking } } },
    async (req) => ownBy(req, req.params.key),
  );

  api.post(
    '/booking/holds/:key/extend',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'Extends the hold once by its full length', params: SecretParams, response: { 200: OwnBooking } } },
    async (req) => {
      await write(async (d) => await extendHold(d, req.params.key));
      return ownBy(req, req.params.key);
    },
  );

  api.post(
    '/booking/holds/:key/release',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'Gives the hold up, or a booking still awaiting its payment (its payment page is closed); the place returns at once', params: SecretParams, response: { 200: OwnBooking } } },
    async (req) => {
      const released = await write(async (d) => await releaseHold(d, req.params.key));
      await settleOrderOf(released.id, 'client');
      return ownBy(req, req.params.key);
    },
  );

  api.post(
    '/booking/holds/:key/code',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'Confirms the hold with the SMS code (5 tries per code)', params: SecretParams, body: CodeBody, response: { 200: OwnBooking } } },
    async (req) => {
      const outcome = await write(async (d) => await confirmByCode(d, req.params.key, req.body.code.trim()));
      if (outcome.kind === 'wrong') throw new ApiError(outcome.triesLeft > 0 ? 'CODE_WRONG' : 'CODE_LOCKED', { tries: outcome.triesLeft });
      await refuseIfCancelled(outcome.confirmed, req.lang);
      return ownBy(req, req.params.key);
    },
  );

  api.post(
    '/booking/holds/:key/resend',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'Sends a new SMS code after a growing cool-down', params: SecretParams } },
    async (req) => write(async (d) => await resendCode(d, req.params.key)),
  );

  api.get(
    '/booking/confirm/:token',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'What an e-mail link would confirm (consumes nothing: mail scanners may open links); a used link of a standing booking shows that booking', params: TokenParams, response: { 200: ConfirmPeekResponse } } },
    async (req) =>
      await deps.queue.read(async (store) => {
        const peek = await peekConfirmToken(core(store), req.params.token);
        if (peek.kind === 'used') return { state: 'used' as const, serviceName: null, time: null, startAt: null, booking: peek.booking === null ? null : await own(store, peek.booking, req.lang) };
        if (peek.kind !== 'valid') return { state: peek.kind, serviceName: null, time: null, startAt: null, booking: null };
        const service = (await store.getService(peek.serviceId))!;
        const office = (await store.getOffice(service.officeId))!;
        const w = when(office, peek.startAt);
        return { state: 'valid' as const, serviceName: pickText(service.names, req.lang, office), time: `${w.day} ${w.time}`, startAt: peek.startAt, timeZone: office.timeZone, booking: null };
      }),
  );

  api.post(
    '/booking/confirm',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'Confirms a booking with the single-use token from the e-mail link', body: TokenBody, response: { 200: OwnBooking } } },
    async (req) => {
      const c = await write(async (d) => await confirmByLink(d, req.body.token));
      await refuseIfCancelled(c, req.lang);
      return deps.queue.read(async (store) => own(store, c.booking, req.lang));
    },
  );

  api.post(
    '/booking/cancel',
    { config: guessLimit, schema: { tags: ['booking'], summary: 'Cancels a booking: by the link in the messages, or by number and contact. Final.', body: CancelBody, response: { 200: StatusResponse } } },
    async (req) => {
      const cancelled = await write(async (d) => await cancelBooking(d, req.body));
      // A paid fee is refunded only where the office's rule says so.
      await settleOrderOf(cancelled.id, 'client');
      return statusOf(cancelled.number, req.lang);
    },
  );

  const statusOf = async (number: string, lang: Language) =>
    await deps.queue.read(async (store) => {
      const v = unwrap(await lookupBooking({ bookings: b.store }, number));
      const office = (await store.getOffice(v.officeId))!;
      const service = (await store.getService(v.serviceId))!;
      return { number: v.number, state: v.state, serviceName: pickText(service.names, lang, office), officeName: office.name, day: v.day, time: when(office, v.startAt).time, startAt: v.startAt, timeZone: office.timeZone };
    });

  api.get(
    '/booking/bookings/:number',
    { config: lookupLimit, schema: { tags: ['booking'], summary: 'Status of a booking by its number: state and time only, no personal data (public)', params: NumberParams, response: { 200: StatusResponse } } },
    async (req) => statusOf(req.params.number, req.lang),
  );

  api.get(
    '/booking/bookings/:number/ics',
    { config: lookupLimit, schema: { tags: ['booking'], summary: 'The booking as an iCalendar event (stable UID)', params: NumberParams } },
    async (req, reply) => {
      const ics = await deps.queue.read(async (store) => {
        const v = unwrap(await lookupBooking({ bookings: b.store }, req.params.number));
        const bk = (await b.store.bookingByNumber(v.number))!;
        const office = (await store.getOffice(v.officeId))!;
        const service = (await store.getService(v.serviceId))!;
        const policy = await b.store.policy(v.serviceId);
        return bookingIcs({
          uid: `${bk.id}@fronta`,
          startAt: v.startAt,
          durationMin: policy?.slotMin ?? 15,
          summary: `${pickText(service.names, req.lang, office)} (${v.number})`,
          location: office.name,
          description: v.number,
          url: `${deps.publicUrl}/portal/?number=${v.number}`,
          cancelled: v.state === 'cancelled',
        });
      });
      void reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="booking-${req.params.number}.ics"`);
      return ics;
    },
  );

  api.get(
    '/booking/services/:serviceId/days/:day/draw',
    { config: PUBLIC, schema: { tags: ['booking'], summary: 'The draw of a day: SHA-256 commitment of its seed from the start, the seed after the run (public)', params: DayParams, response: { 200: DrawResponse } } },
    async (req) => drawView(await write(async (d) => await ensureDraw(d, req.params.serviceId, req.params.day))),
  );

  api.post(
    '/booking/applications',
    { config: holdLimit, schema: { tags: ['booking'], summary: 'Applies for a day during its application window (allocation by draw at the close)', body: ApplyBody, response: { 201: ApplyResponse } } },
    async (req, reply) => {
      const a = await write(async (d) => await applyForDay(d, { ...req.body, language: req.lang }));
      void reply.status(201);
      return { holdKey: a.holdKey, applicationId: a.application.id, draw: drawView(a.draw) };
    },
  );
}

