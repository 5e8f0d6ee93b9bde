import { randomUUID } from 'node:crypto';
import type { AccessStore, DeviceRecord } from '../core/access/access.ts';
import type { IssuedTicket, IssueTicketInput, QueueDeps } from '../core/queue/issue-ticket.ts';
import { LANGUAGES, type Language, type Office, type Service, type Ticket } from '../core/shared/model.ts';
import type { QueueStore } from '../core/queue/ports.ts';
import { formatHhMm, localTime } from '../core/shared/office-time.ts';
import { allocateForPrint, checkReprintable, confirmPrinted, recordReprint, voidPrint, withdrawUnprinted } from '../core/queue/print-ticket.ts';
import { printerRefusal } from '../core/queue/printer.ts';
import { fail, ok, type Result } from '../core/shared/result.ts';
import type { PrintJobT } from '../contracts/print.ts';
import type { ServerDeps } from './deps.ts';
import type { Translate } from './i18n.ts';
import type { PrintAgents } from './print-agents.ts';
import { officeValues, templateOf, ticketLines } from './templates.ts';
import type { TicketTemplate } from '../core/templates/model.ts';

/** How long the host waits for an agent's acknowledgement by default (ms). */
export const PRINT_ACK_TIMEOUT_MS = 6000;

/**
 * How long an agent keeps its printer for the job of a hold (ms). The host fills a hold within one
 * allocation commit; a lapsed hold is still safe (the job queues and reads the printer first), but a
 * hold whose host gave up must not keep the kiosk's printer from others for long.
 */
export const PRINT_HOLD_MS = 2000;

type Deps = ServerDeps & { printAgents: PrintAgents };

/**
 * Issue-and-print for a kiosk with a print agent. Refused before any number is used when the
 * agent last reported a fault (or is not connected), or when its printer, read just now, cannot
 * print; otherwise allocated as `printing` while the agent keeps the printer for this job (unit
 * of work 1), printed and acknowledged by the agent, then put in the queue (unit of work 2) — or
 * made void with the reason when the print failed or was not acknowledged in time.
 */
export function issueAndPrint(deps: Deps, kiosk: DeviceRecord, input: IssueTicketInput, lang: Language, t: Translate): Promise<Result<IssuedTicket>> {
  return allocateAndPrint(
    deps,
    kiosk,
    async (q) => {
      const service = await q.store.getService(input.serviceId);
      // A kiosk issues only for its own office; say "not found" rather than reveal others.
      if (service === null || service.officeId !== kiosk.officeId) return fail<IssuedTicket>('SERVICE_NOT_FOUND');
      return allocateForPrint(q, input);
    },
    lang,
    t,
  );
}

/**
 * The steps of issue-and-print on a kiosk's printer, whoever asks for the ticket (the kiosk, or a
 * clerk at reception): `allocate` makes its own checks and allocates the ticket as `printing`.
 */
export async function allocateAndPrint(
  deps: Deps,
  kiosk: DeviceRecord,
  allocate: (q: QueueDeps) => Promise<Result<IssuedTicket>>,
  lang: Language,
  t: Translate,
  /** `reception`: a clerk asked for the ticket (statistics count it apart from the kiosk's walk-ins). */
  channel?: 'reception',
): Promise<Result<IssuedTicket>> {
  const held = await holdPrinter(deps, kiosk);
  if (!held.ok) return held;
  const allocated = await deps.queue.run((store) => allocate({ store, clock: deps.clock, ids: deps.ids })).catch((error: unknown) => {
    deps.printAgents.release(kiosk, held.value);
    throw error;
  });
  if (!allocated.ok) {
    deps.printAgents.release(kiosk, held.value);
    return allocated;
  }
  const printed = await printAllocated(deps, kiosk, allocated.value, lang, t, { holdId: held.value, ...(channel === undefined ? {} : { channel }) });
  return printed.ok ? ok({ ...allocated.value, ticket: printed.value }) : printed;
}

/**
 * Before a number is taken: the kiosk's printer, read now by its agent (one socket.io round trip
 * and a DLE EOT read) rather than as of the last heartbeat, and kept for the job that follows, so
 * that a printer out of paper or with its cover open since then uses no number. The hold's id,
 * or the printer's refusal (PRINTER_OUT_OF_PAPER, PRINTER_COVER_OPEN, PRINTER_OUT_OF_ORDER).
 */
export async function holdPrinter(deps: Deps, kiosk: DeviceRecord): Promise<Result<string>> {
  // Asked even when the last report was a fault: paper put back since then prints at once.
  const timeoutMs = deps.printTimeoutMs ?? PRINT_ACK_TIMEOUT_MS;
  const held = await deps.printAgents.hold(kiosk, Math.min(PRINT_HOLD_MS, timeoutMs), timeoutMs);
  return held.ok ? ok(held.holdId) : fail(printerRefusal(held.printer.state) ?? 'PRINTER_OUT_OF_ORDER');
}

/**
 * Prints a ticket allocated as `printing` on the kiosk's printer (within the hold `holdId`) and
 * settles it: into the queue once the agent acknowledged the print (a second durable commit), or
 * void with the reason — and `onVoided` in the same transaction — when it failed or was not
 * acknowledged in time; a job of which not one byte was sent gives its number back instead. The answer says what the client has: nothing came out (the printer's
 * refusal), paper may have come out that is not valid (PRINT_VOIDED_IN_HAND, counted per kiosk),
 * or the agent did not say (PRINT_FAILED).
 */
export async function printAllocated(
  deps: Deps,
  kiosk: DeviceRecord,
  issued: IssuedTicket,
  lang: Language,
  t: Translate,
  options: { holdId?: string; onVoided?: (store: QueueStore, ticketId: string) => Promise<void>; channel?: 'reception' } = {},
): Promise<Result<Ticket>> {
  const { ticket } = issued;
  const template = await templateOf(deps.templates, ticket.officeId, 'ticket', lang);
  const built = await deps.queue.read(async (store) =>
    buildPrintJob(deps, (await store.getOffice(ticket.officeId))!, (await store.getService(ticket.serviceId))!, ticket, issued, lang, t, template),
  );
  const job = options.holdId === undefined ? built : { ...built, holdId: options.holdId };
  const outcome = await deps.printAgents.print(kiosk, job, job.timeoutMs);
  const origin = { channel: options.channel ?? (ticket.bookedAt === null ? 'walk_in' : 'booked'), deviceId: kiosk.id } as const;
  if (outcome.ok) return deps.queue.run((store) => confirmPrinted({ store, clock: deps.clock, ids: deps.ids }, ticket.id, origin));
  await deps.queue.run(async (store) => {
    const q = { store, clock: deps.clock, ids: deps.ids };
    const reason = `${outcome.stage}: ${outcome.reason}`;
    const settled = outcome.stage === 'unsent' ? await withdrawUnprinted(q, ticket.id, reason, kiosk.id) : await voidPrint(q, ticket.id, reason, kiosk.id);
    if (settled.ok) await options.onVoided?.(store, ticket.id);
    return settled;
  });
  switch (outcome.stage) {
    case 'unsent':
      return fail(printerRefusal(outcome.printer.state) ?? 'PRINT_FAILED');
    case 'sent':
    case 'printed':
      deps.printAgents.countVoidedInHand(kiosk.id);
      return fail('PRINT_VOIDED_IN_HAND');
    case 'unknown':
      return fail('PRINT_FAILED');
    default: {
      const unknown: never = outcome.stage;
      throw new Error(`unhandled print stage ${String(unknown)}`);
    }
  }
}

/** The office's kiosks that print through an agent: where staff can have a ticket printed. */
export async function printingKiosks(access: AccessStore, officeId: string): Promise<DeviceRecord[]> {
  return (await access.listDevices(officeId)).filter((d) => d.kind === 'kiosk' && d.printer === 'agent' && d.revokedAt === null);
}

/** The device staff chose to print on (reception, reprint): one of their office's printing kiosks. */
export async function kioskToPrintOn(access: AccessStore, officeId: string, deviceId: string): Promise<Result<DeviceRecord>> {
  const device = (await access.listDevices(officeId)).find((d) => d.id === deviceId && d.revokedAt === null);
  if (device === undefined) return fail('DEVICE_NOT_FOUND');
  return device.kind === 'kiosk' && device.printer === 'agent' ? ok(device) : fail('KIOSK_WITHOUT_PRINTER');
}

/** Staff print a ticket again on a kiosk's printer; audited once the agent acknowledged it. */
export async function reprint(
  deps: Deps,
  input: { ticketId: string; kiosk: DeviceRecord; userId: string },
  lang: Language,
  t: Translate,
): Promise<Result<Ticket>> {
  const refusal = printerRefusal(deps.printAgents.printer(input.kiosk.id).state);
  if (refusal !== null) return fail(refusal);
  // In the client's language (the one their ticket was printed in), not the clerk's.
  const ticketLanguage = await deps.queue.read(async (store) => (await store.getTicket(input.ticketId))?.language ?? null);
  const language = (LANGUAGES as readonly string[]).includes(ticketLanguage ?? '') ? (ticketLanguage as Language) : lang;
  const template = await templateOf(deps.templates, input.kiosk.officeId, 'ticket', language);
  const prepared = await deps.queue.read(async (store): Promise<Result<PrintJobT>> => {
    const found = checkReprintable(await store.getTicket(input.ticketId));
    if (!found.ok) return found;
    const ticket = found.value;
    const office = (await store.getOffice(ticket.officeId))!;
    const waiting = (await store.waitingTickets(office.id)).filter((w) => w.serviceId === ticket.serviceId && w.arrivedAt < ticket.arrivedAt).length;
    return ok(buildPrintJob(deps, office, (await store.getService(ticket.serviceId))!, ticket, { ahead: ticket.state === 'waiting' ? waiting : 0, estimatedWaitMin: null }, language, t, template));
  });
  if (!prepared.ok) return prepared;
  const outcome = await deps.printAgents.print(input.kiosk, prepared.value, prepared.value.timeoutMs);
  if (!outcome.ok) return fail(printerRefusal(outcome.printer.state) ?? 'PRINT_FAILED');
  return deps.queue.run((store) =>
    recordReprint({ store, clock: deps.clock, ids: deps.ids }, { ticketId: input.ticketId, deviceId: input.kiosk.id, userId: input.userId }),
  );
}

/** The ticket's printed content, translated into the client's language. */
export function buildPrintJob(
  deps: Pick<ServerDeps, 'publicUrl' | 'printTimeoutMs'>,
  office: Office,
  service: Service,
  ticket: Ticket,
  load: Pick<IssuedTicket, 'ahead' | 'estimatedWaitMin'>,
  lang: Language,
  t: Translate,
  template: TicketTemplate,
): PrintJobT {
  const local = localTime(office.timeZone, ticket.issuedAt);
  const tr = (key: string): string => t(key, { lng: lang });
  const serviceName = (service.names[lang] ?? service.names[office.languages[0] ?? 'en'] ?? Object.values(service.names)[0] ?? '').slice(0, 200);
  // The office's ticket template; officeName and footer stay for an agent older than the template lines.
  const lines = ticketLines(template, { ...officeValues(office), service: serviceName, date: local.date });
  return {
    jobId: `${ticket.id}:${randomUUID()}`,
    ticketId: ticket.id,
    language: lang,
    timeoutMs: deps.printTimeoutMs ?? PRINT_ACK_TIMEOUT_MS,
    ticket: {
      officeName: (lines.header[0] ?? office.name).slice(0, 200),
      headerLines: (lines.header.length === 0 ? [office.name] : lines.header).map((l) => l.slice(0, 200)),
      serviceName,
      number: ticket.number,
      issuedAt: `${local.date} ${formatHhMm(local.minute)}`,
      // Which booking a booked arrival came for, in office time whatever the kiosk PC's zone.
      ...(ticket.bookedAt === null ? {} : { booked: t('printout.booked', { lng: lang, time: formatHhMm(localTime(office.timeZone, ticket.bookedAt).minute) }) }),
      ahead: load.ahead,
      estimatedWaitMin: load.estimatedWaitMin,
      statusUrl: `${deps.publicUrl}/t/${ticket.id}`,
      footer: lines.footer.join(' ').slice(0, 400),
      footerLines: lines.footer.map((l) => l.slice(0, 200)),
      ...(office.ticketLogo == null ? {} : { logo: office.ticketLogo }),
      labels: {
        ahead: tr('printout.ahead'),
        wait: tr('printout.wait'),
        minutes: tr('printout.minutes'),
        waitUnknown: tr('printout.waitUnknown'),
        scan: tr('printout.scan'),
      },
    },
  };
}
