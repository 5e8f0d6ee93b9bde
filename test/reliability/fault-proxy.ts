import { createServer, Socket, type Server } from 'node:net';

/**
 * A TCP proxy in front of a real server (the SMTP or SMPP sink) that plays the network's faults,
 * whatever the protocol: `down` (nothing listens: connection refused, open connections cut),
 * `refuse` (connections accepted and dropped at once), `slow` (every answer of the server held
 * back `slowMs`), `up`.
 */
export type ProxyMode = 'up' | 'down' | 'refuse' | 'slow';

export interface FaultProxy {
  port: number;
  url(scheme: string): string;
  set(mode: ProxyMode, slowMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let mode: ProxyMode = 'up';
  let slowMs = 0;
  const open = new Set<Socket>();
  const onConnection = (client: Socket): void => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const server = new Socket();
    open.add(server);
    server.on('close', () => (open.delete(server), client.destroy()));
    server.on('error', () => server.destroy());
    client.on('close', () => server.destroy());
    client.on('data', (d) => server.write(d));
    // An answer is held back by the delay in force when it arrived.
    server.on('data', (d) => {
      const delay = mode === 'slow' ? slowMs : 0;
      if (delay === 0) client.write(d);
      else setTimeout(() => client.destroyed || client.write(d), delay);
    });
    server.connect(targetPort, '127.0.0.1');
  };
  let listener: Server = createServer(onConnection);
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', () => {
        const a = listener.address();
        resolve(typeof a === 'object' && a !== null ? a.port : 0);
      });
    });
  const port = await listen(0);
  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of open) s.destroy();
      if (!listener.listening) resolve();
      else listener.close(() => resolve());
    });
  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    async set(next, ms = 0) {
      if (next === 'down') await stopListening();
      else if (!listener.listening) {
        listener = createServer(onConnection);
        await listen(port);
      }
      mode = next;
      slowMs = ms;
    },
    close: stopListening,
  };
}
