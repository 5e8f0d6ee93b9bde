import { io, type Socket } from 'socket.io-client';
import type { LoggedEvent } from '../../contracts/screens.ts';
import { DOMAIN_EVENT_TYPES, onDomainEvents, type ClientToServer, type DomainEventType, type ServerToClient, type SocketAuth } from '../../contracts/socket.ts';
import { t } from './i18n.ts';

export type LiveSocket = Socket<ServerToClient, ClientToServer>;

export interface LiveOptions {
  /** Called once per event, in order, never twice for one id (replays and live overlap). */
  apply: (event: LoggedEvent) => void;
  /** The event types this page listens to (default: all). */
  types?: readonly DomainEventType[];
  /**
   * After a reconnection's replay: re-read the truth from the host (the replay caught the events
   * up, but a page may hold more than events carry). Not called after the first connection.
   */
  resync?: () => Promise<void>;
  /** The host refused this device's token (revoked): show the pairing form. */
  onAuthRefused?: () => void;
  /** Online or not, for pages that show it beyond the banner. */
  onStatus?: (isOnline: boolean) => void;
  /** The banner that says the connection is lost (default: the page's `#offline`). */
  banner?: HTMLElement | null;
  /** A public page (no credentials): the office it listens to; it hears only PUBLIC_EVENT_TYPES. */
  publicOffice?: string;
}

/**
 * A page's live connection to the host: socket.io with the session or device cookie, the
 * offline banner, replay of what was missed (each connection sends the id of the last event
 * applied), dedupe by id, and a re-sync after an outage.
 */
export class LiveConnection {
  private last = 0;
  private socket: LiveSocket | null = null;

  constructor(private readonly opts: LiveOptions) {}

  /** The id of the last event the page holds. */
  get lastEventId(): number {
    return this.last;
  }

  /** A snapshot read from the host already holds every event up to `id`. */
  seen(id: number): void {
    this.last = Math.max(this.last, id);
  }

  connect(): void {
    this.socket?.disconnect();
    const banner = this.opts.banner === undefined ? document.getElementById('offline') : this.opts.banner;
    const s: LiveSocket = io({
      path: '/socket.io',
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      // A function: every reconnection sends the id reached so far, and the host replays the gap.
      auth: (cb: (auth: SocketAuth) => void) => cb(this.opts.publicOffice === undefined ? { lastEventId: this.last } : { isPublic: true, officeId: this.opts.publicOffice }),
    });
    this.socket = s;
    let isFirstSync = true;
    const lost = (): void => {
      if (banner !== null) {
        banner.textContent = t('ui.connectionLost');
        banner.hidden = false;
      }
      this.opts.onStatus?.(false);
    };
    onDomainEvents(s, (e: LoggedEvent) => {
      if (e.id <= this.last) return;
      this.last = e.id;
      this.opts.apply(e);
    }, this.opts.types ?? DOMAIN_EVENT_TYPES);
    s.on('disconnect', lost);
    s.on('connect_error', (err) => {
      lost();
      if (err.message === 'AUTH_TOKEN_INVALID' && this.opts.onAuthRefused !== undefined) {
        s.disconnect();
        this.opts.onAuthRefused();
      }
    });
    s.on('sync:done', () => {
      if (banner !== null) banner.hidden = true;
      this.opts.onStatus?.(true);
      if (!isFirstSync) void this.opts.resync?.().catch(() => undefined);
      isFirstSync = false;
    });
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = null;
  }
}
