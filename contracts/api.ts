import { z } from 'zod';

/**
 * What crosses the HTTP boundary. The host validates requests with these schemas and the pages
 * import the same ones, so both sides agree by construction. Instants are epoch milliseconds.
 */

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

export const IdParams = z.object({ id });
export const OfficeParams = z.object({ officeId: id });
export const CounterParams = z.object({ counterId: id });
export const CounterTicketParams = z.object({ counterId: id, ticketId: id });

export const LoginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

/**
 * An admin creates a device (the API and `fronta devices add` alike): a kiosk prints through its
 * print agent (`printer: "agent"`) or issues straight to the queue (`"none"`, the default); a
 * display has no printer. Unknown fields are refused, so a misspelt option never passes silently.
 */
export const CreateDeviceBody = z
  .strictObject({
    kind: z.enum(['kiosk', 'display']),
    name: z.string().trim().min(1).max(80),
    printer: z.enum(['agent', 'none']).optional(),
  })
  .refine((d) => d.kind === 'kiosk' || d.printer !== 'agent', { message: 'printer "agent" is for kiosks only', path: ['printer'] });

/** An admin creates a staff user of their own office; unknown fields are refused. */
export const CreateUserBody = z.strictObject({
  username: z.string().trim().min(2).max(64).regex(/^[a-z0-9._-]+$/i),
  password: z.string().min(8).max(256),
  role: z.enum(['clerk', 'supervisor', 'admin']),
  displayName: z.string().trim().min(1).max(80).optional(),
});

export const IssueTicketBody = z.object({
  serviceId: id,
  categoryId: id.nullable().optional(),
});

export const TransferBody = z.object({ serviceId: id });

/** Signing in at a counter; `serviceIds` narrows it to some of its services for this session. */
// Fastify hands a missing body over as null.
export const OpenCounterBody = z.object({ serviceIds: z.array(id).min(1).max(50).optional() }).nullish();

export const PauseBody = z.object({ paused: z.boolean() });

export const TicketView = z.object({
  id: z.string(),
  number: z.string(),
  serviceId: z.string(),
  state: z.enum(['printing', 'waiting', 'called', 'serving', 'parked', 'done', 'no_show', 'void']),
  counterId: z.string().nullable(),
  categoryId: z.string().nullable(),
  arrivedAt: z.number(),
  bookedAt: z.number().nullable(),
  recallCount: z.number(),
});

export const IssuedTicketResponse = z.object({
  ticket: TicketView,
  ahead: z.number().int(),
  estimatedWaitMin: z.number().nullable(),
});

export const CounterView = z.object({
  id: z.string(),
  number: z.string(),
  serviceIds: z.array(z.string()),
  /** The clerk's choice for this session; null = all of serviceIds. */
  sessionServiceIds: z.array(z.string()).nullable(),
  status: z.enum(['closed', 'open', 'paused']),
  userId: z.string().nullable(),
});

export const CounterStateResponse = z.object({ counter: CounterView, ticket: TicketView.nullable() });

export const ServiceInfo = z.object({
  id: z.string(),
  departmentId: z.string(),
  prefix: z.string(),
  name: z.string(),
  names: z.record(z.string(), z.string()),
  waiting: z.number().int(),
  estimatedWaitMin: z.number().nullable(),
  oldestArrivedAt: z.number().nullable(),
  walkInRemaining: z.number().int(),
  isOpen: z.boolean(),
});

export const ServicesResponse = z.object({
  officeId: z.string(),
  lastEventId: z.number().int(),
  departments: z.array(z.object({ id: z.string(), name: z.string() })),
  services: z.array(ServiceInfo),
});

export const QueueSnapshot = z.object({
  officeId: z.string(),
  lastEventId: z.number().int(),
  waiting: z.array(TicketView),
  counters: z.array(z.object({ counter: CounterView, ticket: TicketView.nullable() })),
});

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

export type LoginBodyT = z.infer<typeof LoginBody>;
export type IssueTicketBodyT = z.infer<typeof IssueTicketBody>;
