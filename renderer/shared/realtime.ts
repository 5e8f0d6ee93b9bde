import { io, type Socket } from 'socket.io-client';
import type { ClientToServer, ServerToClient, SocketAuth } from '../../contracts/socket.ts';

export type FrontaSocket = Socket<ServerToClient, ClientToServer>;

/**
 * socket.io to the host with the staff session cookie. `auth` is a function, so every reconnect
 * sends the last event id applied so far and the host replays what was missed.
 */
export function connectRealtime(lastEventId: () => number): FrontaSocket {
  return io({
    path: '/socket.io',
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    auth: (cb: (auth: SocketAuth) => void) => cb({ lastEventId: lastEventId() }),
  });
}
