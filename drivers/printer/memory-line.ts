/**
 * A serial cable in memory: the demo's kiosks (`npm start`) need a printer line but no socat and
 * no hardware. Bytes written at one end arrive at the other on a later turn of the event loop, in
 * the chunks they were written; a paused end holds them (and the writer's drain) like a printer
 * whose buffer is full.
 */
import { EventEmitter } from 'node:events';
import type { OpenPort } from './serial-port.ts';
import type { VirtualPort } from './virtual-printer.ts';

class MemoryEnd extends EventEmitter implements VirtualPort {
  isOpen = false;
  peer: MemoryEnd | null = null;
  #isPaused = false;
  #held: Buffer[] = [];
  #drainWaiters: ((error: Error | null) => void)[] = [];

  open(callback: (error: Error | null) => void): void {
    this.isOpen = true;
    setImmediate(() => callback(null));
  }

  write(data: Buffer): boolean {
    const peer = this.peer;
    if (!this.isOpen) {
      setImmediate(() => this.emit('error', new Error('port is not open')));
      return false;
    }
    const chunk = Buffer.from(data);
    setImmediate(() => peer?.deliver(chunk));
    return true;
  }

  drain(callback: (error: Error | null) => void): void {
    if (this.peer?.isPaused === true) this.peer.#drainWaiters.push(callback);
    else setImmediate(() => callback(null));
  }

  close(callback: (error: Error | null) => void): void {
    const wasOpen = this.isOpen;
    this.isOpen = false;
    setImmediate(() => {
      if (wasOpen) this.emit('close', null);
      callback(null);
    });
  }

  pause(): this {
    this.#isPaused = true;
    return this;
  }

  resume(): this {
    this.#isPaused = false;
    for (const chunk of this.#held.splice(0)) this.emit('data', chunk);
    for (const waiter of this.#drainWaiters.splice(0)) waiter(null);
    return this;
  }

  get isPaused(): boolean {
    return this.#isPaused;
  }

  deliver(chunk: Buffer): void {
    if (!this.isOpen) return;
    if (this.#isPaused) this.#held.push(chunk);
    else this.emit('data', chunk);
  }
}

export interface MemoryLine {
  /** For SerialPrinter's `openPort`: each call plugs a fresh host end into the line. */
  openHostPort: OpenPort;
  /** For VirtualPrinter.openSerial's `openPort`: the printer's end. */
  openPrinterPort: () => VirtualPort;
}

export function createMemoryLine(): MemoryLine {
  const printerEnd = new MemoryEnd();
  return {
    openHostPort: () => {
      const hostEnd = new MemoryEnd();
      hostEnd.peer = printerEnd;
      printerEnd.peer = hostEnd;
      return hostEnd;
    },
    openPrinterPort: () => printerEnd,
  };
}
