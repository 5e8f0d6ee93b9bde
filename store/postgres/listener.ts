import pg from 'pg';

export interface ListenerOptions {
  url: string;
  channel: string;
  applicationName: string;
  /** A wait before the listening connection is opened again after it broke (ms, default 500). */
  reconnectMs?: number;
  onError?: (error: unknown) => void;
  /** After the connection was opened again: notifications sent meanwhile were lost. */
  onReconnect?: () => void;
}

/**
 * A connection of its own (outside the pool: LISTEN holds it) listening on one channel, opened
 * again after it breaks. A notification sent while it was down is lost: its users treat them as
 * wake-ups or as requests whose senders time out.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly opts: ListenerOptions,
    private readonly onPayload: (payload: string) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.opts.url, application_name: this.opts.applicationName });
    client.on('notification', (msg) => {
      if (msg.channel === this.opts.channel && msg.payload !== undefined) this.onPayload(msg.payload);
    });
    const broken = (error?: unknown): void => {
      if (this.client !== client) return;
      this.client = null;
      if (error !== undefined) this.opts.onError?.(error);
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', broken);
    client.on('end', () => broken());
    await client.connect();
    await client.query(`LISTEN ${this.opts.channel}`);
    this.client = client;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnect !== null) clearTimeout(this.reconnect);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnect !== null) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      this.start().then(
        () => this.opts.onReconnect?.(),
        (error: unknown) => {
          this.opts.onError?.(error);
          this.scheduleReconnect();
        },
      );
    }, this.opts.reconnectMs ?? 500);
    this.reconnect.unref();
  }
}
