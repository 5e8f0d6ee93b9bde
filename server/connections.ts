import type { Server } from 'socket.io';
import type { PrintAgents } from './print-agents.ts';
import type { Identity } from './auth.ts';

/**
 * The live socket.io connections of a user or a device, to end at once: a disabled user's pages,
 * a revoked device's page and its print agent. The next request of either is refused anyway;
 * this makes sure nothing keeps listening. Created before the socket server exists (routes are
 * registered first), attached once it does.
 */
export class LiveConnections {
  #io: Server | null = null;

  constructor(private readonly printAgents: PrintAgents) {}

  attach(io: Server): void {
    this.#io = io;
  }

  #drop(match: (identity: Identity, sessionHash: string | null) => boolean): number {
    let dropped = 0;
    for (const socket of this.#io?.of('/').sockets.values() ?? []) {
      const data = socket.data as { identity?: Identity; sessionHash?: string | null } | undefined;
      if (data?.identity !== undefined && match(data.identity, data.sessionHash ?? null)) {
        socket.disconnect(true);
        dropped++;
      }
    }
    return dropped;
  }

  /** Every connection of the user's sessions (all of them, or all but one browser's, by session token hash). */
  dropUser(userId: string, exceptSessionHash?: string): number {
    return this.#drop((id, session) => id.kind === 'user' && id.user.id === userId && (exceptSessionHash === undefined || session !== exceptSessionHash));
  }

  dropDevice(deviceId: string): number {
    this.printAgents.drop(deviceId);
    return this.#drop((id) => id.kind === 'device' && id.device.id === deviceId);
  }
}
