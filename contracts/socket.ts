import type { DomainEvent, DomainEventType, LoggedEvent } from '../core/shared/events.ts';

export type { DomainEventType };

/**
 * The socket.io contract, one type per direction; the host is `Server<ClientToServer,
 * ServerToClient>` and pages are `Socket<ServerToClient, ClientToServer>`.
 *
 * Delivery: every event carries its log id. A client connects with `auth.lastEventId` (0 for
 * "from now") and first receives every event of its office after that id, in order, then the
 * live ones — so a display that was offline misses nothing.
 */

type Deliver<T extends DomainEvent['type']> = (event: Extract<LoggedEvent, { type: T }>) => void;

export interface ServerToClient {
  'ticket:issued': Deliver<'ticket:issued'>;
  'ticket:called': Deliver<'ticket:called'>;
  'ticket:changed': Deliver<'ticket:changed'>;
  'queue:changed': Deliver<'queue:changed'>;
  'counter:changed': Deliver<'counter:changed'>;
  'service:closed': Deliver<'service:closed'>;
  'printer:changed': Deliver<'printer:changed'>;
  'ticket:reprinted': Deliver<'ticket:reprinted'>;
  'ticket:called-out-of-order': Deliver<'ticket:called-out-of-order'>;
  'booking:settings-changed': Deliver<'booking:settings-changed'>;
  'alerts:changed': Deliver<'alerts:changed'>;
  'ticket:rated': Deliver<'ticket:rated'>;
  'config:changed': Deliver<'config:changed'>;
  'outbox:resent': Deliver<'outbox:resent'>;
  'booking:changed': Deliver<'booking:changed'>;
  'payment:changed': Deliver<'payment:changed'>;
  /** Sent once per connection after the replay: from here on events are live. */
  'sync:done': (info: { lastEventId: number; replayed: number }) => void;
}

// Clients act over HTTP; the socket only listens for now.
export type ClientToServer = Record<string, never>;

export interface SocketAuth {
  /** Device token (kiosk, display) — staff use their session cookie instead. */
  token?: string;
  /** Last event id the client has applied; -1 or absent = only live events. */
  lastEventId?: number;
  /** Office to listen to (staff may watch only their own). */
  officeId?: string;
  /**
   * A public page (the booking portal) without credentials: it hears only what its office
   * changed in its configuration (PUBLIC_EVENT_TYPES), live, with no replay.
   */
  isPublic?: boolean;
}

export const REPLAY_PAGE = 500;

/** Every domain event a page can be sent; the check below fails to compile if one is missing. */
export const DOMAIN_EVENT_TYPES = [
  'ticket:issued',
  'ticket:called',
  'ticket:changed',
  'queue:changed',
  'counter:changed',
  'service:closed',
  'printer:changed',
  'ticket:reprinted',
  'ticket:called-out-of-order',
  'booking:settings-changed',
  'alerts:changed',
  'ticket:rated',
  'config:changed',
  'outbox:resent',
  'booking:changed',
  'payment:changed',
] as const satisfies readonly DomainEventType[];
const everyTypeListed: Exclude<DomainEventType, (typeof DOMAIN_EVENT_TYPES)[number]> extends never ? true : false = true;
void everyTypeListed;

/** What a hall display shows, and so all it is sent (live and on replay); a configuration change makes it re-read the office's name and services. */
export const DISPLAY_EVENT_TYPES = ['ticket:called', 'queue:changed', 'service:closed', 'config:changed'] as const satisfies readonly DomainEventType[];

/**
 * What only staff (a signed-in user's page) is sent: never a kiosk, a hall display or a public
 * page, which share a hall with the public (a booking's number and time are the citizen's, called
 * out at check-in; a fee's order number and amount are the office's business).
 */
export const STAFF_EVENT_TYPES = ['booking:changed', 'payment:changed'] as const satisfies readonly DomainEventType[];

/** What a page without credentials is sent: which sections of its office's configuration changed (nothing personal). */
export const PUBLIC_EVENT_TYPES = ['config:changed'] as const satisfies readonly DomainEventType[];

/**
 * Subscribes one handler to several domain events of a socket.io client socket (typed loosely:
 * contracts/ does not import socket.io-client).
 */
export function onDomainEvents(
  socket: { on: (event: never, listener: never) => unknown },
  handler: (event: LoggedEvent) => void,
  types: readonly DomainEventType[] = DOMAIN_EVENT_TYPES,
): void {
  const on = socket.on as unknown as (event: string, listener: (event: LoggedEvent) => void) => unknown;
  for (const type of types) on.call(socket, type, handler);
}
