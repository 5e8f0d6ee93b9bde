import { createRequire } from 'node:module';
import type { SerialPort } from 'serialport';

/** The part of a serialport stream this driver uses; `SerialPort` and `SerialPortMock` both fit. */
export interface PrinterPort {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  write(data: Buffer): boolean;
  drain(callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close' | 'error', listener: (error?: Error | null) => void): unknown;
  removeAllListeners(): unknown;
}

/** Creates a closed port for a path; the binding (native, mock) is the factory's choice. */
export type OpenPort = (path: string, baudRate: number) => PrinterPort;

// The native binding is loaded when a real port is first opened: a host whose printers hang on
// kiosk PCs (or the demo's, on memory lines) starts without it. require() caches the module.
const require = createRequire(import.meta.url);
/** A real serial port (closed until `open`), for the printer driver and the virtual printer alike. */
export function nativeSerialPort(path: string, baudRate: number): SerialPort {
  const { SerialPort: NativePort } = require('serialport') as { SerialPort: typeof SerialPort };
  return new NativePort({ path, baudRate, autoOpen: false });
}
export const openNativePort: OpenPort = nativeSerialPort;
