import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import type { LoggedEvent } from '../core/shared/events.ts';
import { DISPLAY_EVENT_TYPES, PUBLIC_EVENT_TYPES, STAFF_EVENT_TYPES, REPLAY_PAGE, type ClientToServer, type ServerToClient, type SocketAuth } from '../contracts/socket.ts';
import type { ServerDeps } from './deps.ts';
import { actorOf, DEVICE_COOKIE, SESSION_COOKIE, type Identity } from './auth.ts';
import { officeAccess } from '../core/access/permissions.ts';
import { allowedOrigins, originAllowed } from './origin-check.ts';
import { tokenHash } from './passwords.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends committed events to their office's sockets (those the queue's unit of work did not commit). */
    broadcast(events: readonly LoggedEvent[]): void;
  }
}

interface SocketData {
  officeId: string;
  identity: Identity;
  /** The staff session it was opened with (its token's hash): a password change ends the others'. */
  sessionHash: string | null;
}

type FrontaSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

const room = (officeId: string): string => `office:${officeId}`;
/** Hall displays get only what they show; they are most of the sockets, so the rest is not sent. */
const displayRoom = (officeId: string): string => `office:${officeId}:display`;
const DISPLAY_EVENTS: ReadonlySet<string> = new Set(DISPLAY_EVENT_TYPES);
/** Public pages (the portal) hear that their office's configuration changed, and nothing else. */
const publicRoom = (officeId: string): string => `office:${officeId}:public`;
const PUBLIC_EVENTS: ReadonlySet<string> = new Set(PUBLIC_EVENT_TYPES);
/** Signed-in staff hear, besides the office's room, what kiosks must not (STAFF_EVENT_TYPES). */
const staffRoom = (officeId: string): string => `office:${officeId}:staff`;
const STAFF_EVENTS: ReadonlySet<string> = new Set(STAFF_EVENT_TYPES);
const OFFICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const isDisplay = (identity: Identity): boolean => identity.kind === 'device' && identity.device.kind === 'display';

function emit(socket: FrontaSocket | ReturnType<Server<ClientToServer, ServerToClient>['to']>, e: LoggedEvent): void {
  // The union of event names and payloads is checked by the contract; TS cannot narrow a
  // discriminated emit, so the pair is asserted once, here.
  (socket.emit as (name: string, payload: LoggedEvent) => void)(e.type, e);
}

/** A hall display shows calls, not who made them: the clerk's id (kept for statistics) is left out. */
function forDisplay(e: LoggedEvent): LoggedEvent {
  if (e.type !== 'ticket:called' || e.payload.userId === undefined) return e;
  const payload = { ...e.payload };
  delete payload.userId;
  return { ...e, payload };
}

/**
 * socket.io edge: one room per office; every committed event is broadcast to its office's room.
 * A client connecting with `auth.lastEventId` first gets every event after that id, then live
 * ones. The hand-over cannot lose or repeat one: the replay stops at the last id already
 * broadcast (the live source's position), and the socket joins its room in the same tick as it
 * reads that position — whatever is broadcast after reaches it live.
 */
export function attachRealtime(app: FastifyInstance, deps: ServerDeps): Server<ClientToServer, ServerToClient> {
  const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(app.server, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
  });

  const allowed = allowedOrigins(deps);
  io.use((socket, next) => {
    // Async checks (the store answers with promises); a bug fails the handshake instead of floating.
    void (async () => {
      const auth = (socket.handshake.auth ?? {}) as SocketAuth;
      // A public page listens without credentials (whatever cookies its browser holds), to one office.
      if (auth.isPublic === true) {
        if (typeof auth.officeId !== 'string' || !OFFICE_ID.test(auth.officeId)) return next(new Error('FORBIDDEN'));
        socket.data = { officeId: auth.officeId, identity: { kind: 'anonymous' }, sessionHash: null };
        return next();
      }
      const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
      const byCookie = typeof auth.token !== 'string' && (cookies[DEVICE_COOKIE] !== undefined || cookies[SESSION_COOKIE] !== undefined);
      // As for HTTP changes (server/origin-check.ts): a page of another origin on the same site
      // would otherwise listen with the browser's cookies.
      if (byCookie && !originAllowed(socket.request, allowed)) return next(new Error('ORIGIN_REFUSED'));
      const token = typeof auth.token === 'string' ? auth.token : cookies[DEVICE_COOKIE];
      let identity: Identity = { kind: 'anonymous' };
      let sessionHash: string | null = null;
      if (token !== undefined) {
        const device = await deps.access.deviceByTokenHash(tokenHash(token));
        if (device === null) return next(new Error('AUTH_TOKEN_INVALID'));
        await deps.access.deviceSeen(device.id, deps.clock.now());
        identity = { kind: 'device', device };
      } else if (cookies[SESSION_COOKIE] !== undefined) {
        sessionHash = tokenHash(cookies[SESSION_COOKIE]);
        const user = await deps.access.sessionUser(sessionHash, deps.clock.now());
        if (user !== null) identity = { kind: 'user', user };
      }
      if (identity.kind === 'anonymous') return next(new Error('AUTH_REQUIRED'));
      if (identity.kind === 'user' && identity.user.mustChangePassword) return next(new Error('PASSWORD_CHANGE_REQUIRED'));
      const own = identity.kind === 'user' ? identity.user.officeId : identity.device.officeId;
      // The same check as every HTTP route: an install admin may listen to any office.
      const officeId = typeof auth.officeId === 'string' ? auth.officeId : own;
      if (officeAccess(actorOf(identity), officeId) !== 'ok') return next(new Error('FORBIDDEN'));
      socket.data = { officeId, identity, sessionHash };
      next();
    })().catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  });

  /** The last id broadcast per office (one host's own commits); a tailing live source keeps its own. */
  const broadcastUpTo = new Map<string, number>();
  const position = (officeId: string): number | undefined => deps.live?.position(officeId) ?? broadcastUpTo.get(officeId);

  io.on('connection', async (socket: FrontaSocket) => {
    const { officeId } = socket.data;
    if (socket.data.identity.kind === 'anonymous') {
      // Live only: a public page re-reads what it shows when it connects.
      void socket.join(publicRoom(officeId));
      socket.emit('sync:done', { lastEventId: await deps.events.lastEventId(officeId), replayed: 0 });
      return;
    }
    const display = isDisplay(socket.data.identity);
    const isStaff = socket.data.identity.kind === 'user';
    const auth = (socket.handshake.auth ?? {}) as SocketAuth;
    let after = typeof auth.lastEventId === 'number' && Number.isSafeInteger(auth.lastEventId) ? auth.lastEventId : -1;
    let replayed = 0;
    if (after < 0) {
      // A first connection reads the office's state over HTTP: it needs a starting id, not a replay.
      const known = await deps.events.lastEventId(officeId);
      after = Math.max(known, position(officeId) ?? 0);
    } else {
      for (;;) {
        const page = await deps.events.eventsAfter(officeId, after, REPLAY_PAGE);
        // Read in the tick the page arrived, like the join below: nothing is broadcast in between.
        const upTo = position(officeId);
        for (const e of page) {
          // Not broadcast yet: it will reach this socket live.
          if (upTo !== undefined && e.id > upTo) break;
          after = e.id;
          if (display && !DISPLAY_EVENTS.has(e.type)) continue;
          if (!isStaff && STAFF_EVENTS.has(e.type)) continue;
          emit(socket, display ? forDisplay(e) : e);
          replayed++;
        }
        if (page.length === 0 || (upTo === undefined ? page.length < REPLAY_PAGE : after >= upTo)) break;
      }
    }
    void socket.join(display ? displayRoom(officeId) : isStaff ? [room(officeId), staffRoom(officeId)] : room(officeId));
    socket.emit('sync:done', { lastEventId: after, replayed });
  });

  const broadcast = (events: readonly LoggedEvent[]): void => {
    const rooms = io.sockets.adapter.rooms;
    for (const e of events) {
      broadcastUpTo.set(e.officeId, Math.max(broadcastUpTo.get(e.officeId) ?? 0, e.id));
      // Encoding a packet nobody will receive costs as much as sending it: skip empty rooms.
      const listening = (r: string): boolean => (rooms.get(r)?.size ?? 0) > 0;
      if (STAFF_EVENTS.has(e.type)) {
        if (listening(staffRoom(e.officeId))) emit(io.to(staffRoom(e.officeId)), e);
        continue;
      }
      const staff = room(e.officeId);
      const display = displayRoom(e.officeId);
      const toDisplay = DISPLAY_EVENTS.has(e.type) && listening(display);
      if (PUBLIC_EVENTS.has(e.type) && listening(publicRoom(e.officeId))) emit(io.to(publicRoom(e.officeId)), e);
      const shown = toDisplay ? forDisplay(e) : e;
      if (shown === e) {
        const targets = [staff, ...(toDisplay ? [display] : [])].filter(listening);
        if (targets.length > 0) emit(io.to(targets), e);
      } else {
        if (listening(staff)) emit(io.to(staff), e);
        emit(io.to(display), shown);
      }
    }
  };
  const unsubscribe = deps.live !== undefined ? deps.live.subscribe(broadcast) : deps.queue.onCommit(broadcast);
  // Events committed by other stores (the office configuration's) are fanned out the same way —
  // unless the live source tails the log, which holds them too and publishes them in their order.
  app.decorate('broadcast', deps.live !== undefined ? () => undefined : broadcast);

  app.addHook('onClose', async () => {
    unsubscribe();
    await io.close();
  });
  app.decorate('io', io);
  return io;
}
