import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Language } from '../core/shared/model.ts';
import { requireCaller, resolveIdentity, type Identity } from './auth.ts';
import { httpStatusOf } from '../core/shared/errors.ts';
import { ApiError, errorBody, handleError } from './errors.ts';
import { createI18n, negotiateLanguage, type Translate } from './i18n.ts';
import { AlertMonitor } from './alert-monitor.ts';
import { alertMailer } from './alert-mail.ts';
import { registerMetrics } from './metrics.ts';
import { alertRoutes } from './routes/alerts.routes.ts';
import { ratingRoutes } from './routes/rating.routes.ts';
import { originCheck } from './origin-check.ts';
import { PrintAgents } from './print-agents.ts';
import { sharedRateLimitStore } from './shared-rate-limits.ts';
import { LiveConnections } from './connections.ts';
import { peopleRoutes } from './routes/people.routes.ts';
import { auditLogRoutes } from './routes/audit-log.routes.ts';
import { backupRoutes } from './routes/backup.routes.ts';
import { officeDeviceRoutes } from './routes/office-devices.routes.ts';
import { allowSwaggerUiStyle, securityHeaders } from './security-headers.ts';
import { attachRealtime } from './realtime.ts';
import { accessRoutes } from './routes/access.routes.ts';
import { announceRoutes } from './routes/announce.routes.ts';
import { displayRoutes } from './routes/display.routes.ts';
import { outboxRoutes } from './routes/outbox.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';
import { banRoutes } from './routes/bans.routes.ts';
import { bookingRoutes } from './routes/booking.routes.ts';
import { feesRoutes } from './routes/fees.routes.ts';
import { feesOfficeRoutes } from './routes/fees-office.routes.ts';
import type { ServerDeps } from './deps.ts';
import { bookingSettingsRoutes } from './routes/booking-settings.routes.ts';
import { checkInRoutes } from './routes/check-in.routes.ts';
import { rosterRoutes } from './routes/roster.routes.ts';
import { serviceRulesRoutes } from './routes/rules.routes.ts';
import { counterRoutes } from './routes/counter.routes.ts';
import { deviceRoutes } from './routes/device.routes.ts';
import { floorRoutes } from './routes/floor.routes.ts';
import { officeRoutes } from './routes/office.routes.ts';
import { officePublicRoutes } from './routes/office-public.routes.ts';
import { receptionRoutes } from './routes/reception.routes.ts';
import { kioskRoutes } from './routes/kiosk.routes.ts';
import { officeConfigRoutes } from './routes/office-config.routes.ts';
import { serviceAdminRoutes } from './routes/service-admin.routes.ts';
import { templateRoutes } from './routes/template.routes.ts';
import { officeChangeRoutes } from './routes/office-change.routes.ts';
import { ticketRoutes } from './routes/ticket.routes.ts';
import { statsRoutes } from './routes/stats.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Language;
    t: Translate;
    identity: Identity;
  }
}

export const BODY_LIMIT = 16 * 1024;

/**
 * The host's HTTP + socket.io edge. Never listens by itself: the host (or a test) calls
 * `listen`, or uses `inject` in process.
 */
export async function build(given: ServerDeps): Promise<FastifyInstance> {
  const printAgents = given.printAgents ?? new PrintAgents(given);
  const connections = new LiveConnections(printAgents);
  const deps: ServerDeps & { printAgents: PrintAgents } = { ...given, printAgents };
  const i18n = createI18n();
  // One translate function per language, made once: getFixedT per request allocated a closure
  // each time and defeated the per-language memo of plain error answers.
  const fixedT = new Map<string, Translate>();
  const tFor = (lang: string): Translate => {
    let t = fixedT.get(lang);
    if (t === undefined) fixedT.set(lang, (t = i18n.getFixedT(lang)));
    return t;
  };
  const monitor = deps.alerts === undefined ? null : new AlertMonitor(deps, printAgents, { onRaised: alertMailer(deps, tFor), ...deps.alerts });
  const app = Fastify({
    // Fastify answers malformed URLs and over-long path parameters before any hook runs; route
    // them through the catalogue too, in the caller's language.
    frameworkErrors: (error, req, reply) => {
      const t = tFor(negotiateLanguage(req.headers['accept-language']));
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      void (reply as FastifyReply).status(httpStatusOf(code)).send(errorBody(t, code, { detail: t('validation.unreadable') }));
    },
    // Broken HTTP framing never becomes a request: answer on the socket, in the error shape.
    clientErrorHandler: (error, socket) => {
      // An answer already went out on this connection (a request refused before its body was
      // read, e.g. 401 to a stranger): the bytes after it are no request of anyone's, and a
      // second, unasked-for answer would only confuse the client.
      if (!socket.writable || error.code === 'ECONNRESET' || socket.bytesWritten > 0) {
        socket.destroy();
        return;
      }
      const body = JSON.stringify(errorBody(tFor('en'), 'VALIDATION_FAILED', { detail: tFor('en')('validation.unreadable') }));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    logger: deps.logger ?? false,
    // One line per request drowns the log of a busy lobby; errors and lifecycle are still logged.
    logController: new LogController({ disableRequestLogging: deps.logRequests !== true }),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  // Only JSON bodies: a text/plain POST (the one kind a browser sends cross-site without asking)
  // is refused with 415 instead of being parsed and ignored while the action runs.
  app.removeContentTypeParser('text/plain');

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(errorBody(req.t, 'NOT_FOUND'));
  });

  securityHeaders(app);
  // Before any route: its latency hook must see every route.
  if (deps.metrics !== undefined) {
    const { outbox, ...config } = deps.metrics;
    registerMetrics(app, {
      ...config,
      onCommit: (listener) => deps.queue.onCommit(listener),
      sources: {
        offices: () => deps.queue.read((s) => s.listOffices()),
        // Every service, an empty line included: a gauge that vanishes at zero reads as "no data".
        load: (officeId) =>
          deps.queue.read(async (s) => {
            const load = new Map((await s.serviceLoad(officeId)).map((l) => [l.serviceId, l]));
            return (await s.listServices(officeId)).map((svc) => load.get(svc.id) ?? { serviceId: svc.id, waiting: 0, oldestArrivedAt: null });
          }),
        printers: async (officeId) =>
          (await deps.access.listDevices(officeId))
            .filter((d) => d.kind === 'kiosk' && d.printer !== 'none' && d.revokedAt === null)
            .map((d) => ({ deviceId: d.id, state: printAgents.printer(d.id).state })),
        outbox,
        now: () => deps.clock.now(),
      },
    });
  }
  app.decorateRequest('lang', 'en');
  app.decorateRequest('t', null as never);
  app.decorateRequest('identity', null as never);
  // Callback-style hooks: an async hook costs a promise and a microtask turn on every request.
  app.addHook('onRequest', (req, _reply, done) => {
    req.lang = negotiateLanguage(req.headers['accept-language']);
    req.t = tFor(req.lang);
    done();
  });

  await app.register(fastifyCookie);
  originCheck(app, deps);
  app.addHook('onRequest', (req, _reply, done) => {
    req.identity = { kind: 'anonymous' };
    if (!req.url.startsWith('/api/v1/')) {
      done();
      return;
    }
    resolveIdentity(deps.access, deps.clock, req).then(
      (identity) => {
        req.identity = identity;
        done();
      },
      (error: unknown) => done(error as Error),
    );
  });
  await app.register(fastifyRateLimit, {
    global: false,
    // Several hosts count together in the database; one host alone counts in its memory.
    ...(deps.rateLimits === undefined ? {} : { store: sharedRateLimitStore(deps.rateLimits) }),
    errorResponseBuilder: () => new ApiError('RATE_LIMITED'),
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Fronta host API',
        version: '1',
        description:
          'Queue engine of a public office. Staff authenticate with a session cookie (POST /api/v1/auth/login); ' +
          'kiosks and displays with `Authorization: Bearer <device token>`. Errors are `{ error: { code, message } }` ' +
          'in the language of Accept-Language (cs, ro, zh-CN, en).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'fronta_session' },
          device: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', transformStaticCSP: allowSwaggerUiStyle });

  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/health', { schema: { tags: ['health'] } }, async () => ({
    status: 'ok',
    offices: await deps.queue.read(async (s) => (await s.listOffices()).length),
  }));
  await app.register(
    async (v1) => {
      // Authentication is part of the route, ahead of parsing and validation: every API route
      // not declared public turns an anonymous caller away (401) first. The OpenAPI document
      // says which routes need a credential.
      v1.addHook('onRoute', (route) => {
        if (route.config?.auth === 'public') {
          route.schema = { ...route.schema, security: [] };
          return;
        }
        const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
        route.onRequest = [...own, requireCaller];
        route.schema = { ...route.schema, security: [{ session: [] }, { device: [] }] };
      });
      const typed = v1.withTypeProvider<ZodTypeProvider>();
      accessRoutes(typed, deps);
      if (deps.people !== undefined) {
        const people = { ...deps, people: deps.people, connections };
        peopleRoutes(typed, people);
        officeDeviceRoutes(typed, people);
      }
      officeRoutes(typed, deps);
      officePublicRoutes(typed, deps);
      ticketRoutes(typed, deps);
      kioskRoutes(typed, deps);
      serviceAdminRoutes(typed, deps);
      counterRoutes(typed, deps);
      deviceRoutes(typed, deps);
      announceRoutes(typed, deps);
      displayRoutes(typed, deps);
      floorRoutes(typed, deps);
      receptionRoutes(typed, deps);
      bookingRoutes(typed, deps);
      if (deps.fees !== undefined) feesRoutes(typed, deps, deps.fees);
      if (deps.fees !== undefined) feesOfficeRoutes(typed, deps, deps.fees);
      banRoutes(typed, deps);
      outboxRoutes(typed, deps);
      bookingSettingsRoutes(typed, deps);
      checkInRoutes(typed, deps);
      rosterRoutes(typed, deps);
      serviceRulesRoutes(typed, deps);
      templateRoutes(typed, deps);
      officeChangeRoutes(typed, deps);
      if (deps.stats !== undefined) statsRoutes(typed, { ...deps, stats: deps.stats });
      if (monitor !== null) alertRoutes(typed, deps, monitor);
      if (deps.ratings !== undefined) ratingRoutes(typed, deps, deps.ratings);
      officeConfigRoutes(typed, deps);
      if (deps.auditLog !== undefined) auditLogRoutes(typed, deps, deps.auditLog);
      if (deps.backups !== undefined) backupRoutes(typed, deps.backups);
      if (deps.webhooks !== undefined) webhookRoutes(typed, deps, deps.webhooks);
    },
    { prefix: '/api/v1' },
  );
  if (deps.register !== undefined) await deps.register(app);

  const io = attachRealtime(app, deps);
  printAgents.attach(io, app.log);
  if (monitor !== null) {
    await monitor.start();
    app.addHook('onClose', async () => monitor.stop());
  }
  connections.attach(io);
  return app;
}
