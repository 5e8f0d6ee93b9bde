// The parts of `smpp` (no bundled typings) that Fronta uses.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  export interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    system_id?: string;
    password?: string;
    destination_addr?: string;
    source_addr?: string;
    short_message?: { message?: string } | Buffer | string;
    message_payload?: { message?: string } | Buffer | string;
    message_id?: string;
    response(params?: Record<string, unknown>): Pdu;
  }

  export interface Session extends EventEmitter {
    send(pdu: Pdu): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(params: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
    submit_sm(params: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
    unbind(params?: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
    enquire_link(params?: Record<string, unknown>, callback?: (pdu: Pdu) => void): void;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export function connect(options: { url?: string; host?: string; port?: number; auto_enquire_link_period?: number }, listener?: () => void): Session;
  export function createServer(options: Record<string, unknown>, listener: (session: Session) => void): Server;
  export function createServer(listener: (session: Session) => void): Server;

  const smpp: { connect: typeof connect; createServer: typeof createServer };
  export default smpp;
}
