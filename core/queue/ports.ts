import type { BookingPolicy } from '../booking/model.ts';
import type { CallCandidate } from './call-policy.ts';
import type { DomainEvent, DomainEventType, LoggedEvent } from '../shared/events.ts';
import type { Counter, CounterStatus, Department, Localized, Office, OfficeSettings, Service, Ticket, TicketState } from '../shared/model.ts';

/** Injected time: epoch milliseconds. Tests pass a fake; the host passes the system clock. */
export interface Clock {
  now(): number;
}

/** Injected id source. Ticket ids appear in public status links, so they must be unguessable. */
export interface Ids {
  ticketId(): string;
  /** Configuration ids (offices, services, counters, users, devices). */
  entityId(prefix: string): string;
}

export interface ServiceLoad {
  serviceId: string;
  waiting: number;
  /** Earliest arrival among waiting tickets, null when none wait. */
  oldestArrivedAt: number | null;
}

/**
 * Everything the queue use cases read and write. Asynchronous so that a database server can
 * implement it; a use case still runs whole inside one store transaction (see UnitOfWork), so
 * what it reads cannot change under it.
 * The atomic operations (`nextNumber`, `claimNext`, `transition`) are whole operations, never
 * read-modify-write in the caller.
 */
export interface QueueStore {
  getOffice(id: string): Promise<Office | null>;
  listOffices(): Promise<Office[]>;
  listDepartments(officeId: string): Promise<Department[]>;
  getService(id: string): Promise<Service | null>;
  listServices(officeId: string): Promise<Service[]>;
  getCounter(id: string): Promise<Counter | null>;
  /**
   * Holds the counter for the rest of the transaction, before anything about it is read: two
   * actions at one counter (a clerk's double press reaching two hosts) run one after the other,
   * the second seeing what the first committed. Nothing to do where one writer runs every unit.
   */
  lockCounter(id: string): Promise<void>;
  listCounters(officeId: string): Promise<Counter[]>;
  getTicket(id: string): Promise<Ticket | null>;

  /** Next sequence number for (office, prefix, office-local day), starting at 1, never reused. */
  nextNumber(officeId: string, prefix: string, day: string): Promise<number>;
  /** Tickets of a service issued for a day that count against capacity (all but `void`). */
  countIssued(serviceId: string, day: string): Promise<number>;
  insertTicket(ticket: Ticket): Promise<void>;
  /**
   * Compare-and-set: applies `patch` (and `state: to`) only if the ticket is still in `from`.
   * Returns the updated ticket, or null when it was not in `from`.
   */
  transition(id: string, from: TicketState, to: TicketState, patch: Partial<Ticket>): Promise<Ticket | null>;
  /**
   * Takes the next ticket for a counter: selects the waiting candidates of the counter's
   * services, lets `pick` choose, and moves the choice to `called` at `now` for this counter —
   * one atomic operation. Null when nothing waits (or `pick` declines).
   */
  claimNext(counter: Counter, pick: (candidates: readonly CallCandidate[]) => CallCandidate | null, now: number): Promise<Ticket | null>;
  /** The ticket called or being served at a counter. */
  currentTicket(counterId: string): Promise<Ticket | null>;
  waitingTickets(officeId: string): Promise<Ticket[]>;
  /** Tickets still `printing` (allocated, print not yet acknowledged), oldest first. */
  printingTickets(officeId: string): Promise<Ticket[]>;
  /**
   * Takes back a `printing` ticket of which not one byte reached a printer: the row goes (and its
   * walk-in capacity) and its number is the next one again. Null, changing nothing, when the
   * ticket is not `printing` or a later number of its prefix and day was taken meanwhile.
   */
  withdrawPrinting(id: string): Promise<Ticket | null>;
  updateCounter(id: string, patch: { status?: CounterStatus; userId?: string | null; sessionServiceIds?: readonly string[] | null }): Promise<Counter>;
  /** Counters a user is signed in at. */
  countersOfUser(userId: string): Promise<Counter[]>;
  serviceLoad(officeId: string): Promise<ServiceLoad[]>;
  /** Tickets waiting for one service now. */
  waitingCount(serviceId: string): Promise<number>;
  /** Moving average of recent service times (ms), null before the first sample. */
  averageServiceMs(serviceId: string): Promise<number | null>;
  setAverageServiceMs(serviceId: string, ms: number): Promise<void>;
  /**
   * Closes a service for one office-local day (a supervisor's decision). True when it was open,
   * false when already closed.
   */
  closeServiceForDay(serviceId: string, day: string, at: number): Promise<boolean>;
  /** Services of an office closed for that office-local day. */
  /** Shared with the store's cache: read it, do not change it. */
  closedServices(officeId: string, day: string): Promise<readonly string[]>;
  /** Replaces a service's names (per language). False when there is no such service. */
  setServiceNames(serviceId: string, names: Localized): Promise<boolean>;
  /** Replaces an office's settings (the whole object, as read from `getOffice`). */
  setOfficeSettings(officeId: string, settings: OfficeSettings): Promise<void>;
  /**
   * The waiting lines of an office changed. One `queue:changed` event with the live load is
   * appended per office at the end of the commit group (after every unit of it, before COMMIT),
   * instead of one per change: a burst of calls announces its counts once.
   */
  markQueueChanged(officeId: string, at: number): Promise<void>;
  /** Appends to the event log in the current transaction; returns the event id. */
  appendEvent(event: DomainEvent, at: number): Promise<number>;
  /**
   * The service's online-booking policy (capacity split, slots, release), null when the service
   * is not booked online: then its walk-in cap is `dailyWalkInCapacity` (see capacity.ts).
   */
  bookingPolicy(serviceId: string): Promise<BookingPolicy | null>;
}

/**
 * Runs a unit of work in one durable transaction. Several units may share a commit (group
 * commit), each in its own savepoint, one after another; the promise resolves only once its
 * commit is on disk. A unit awaits its ports and nothing else (no timers, no network): the
 * group's transaction stays open until the last unit of the group is done.
 */
export interface UnitOfWork {
  run<T>(work: (store: QueueStore) => T | Promise<T>): Promise<T>;
}

/** The unit of work as the edge sees it: durable writes, lock-free reads, commit notifications. */
export interface QueueRuntime extends UnitOfWork {
  read<T>(work: (store: QueueStore) => T | Promise<T>): Promise<T>;
  /** Called after each durable commit with the events it appended, in id order. */
  onCommit(listener: (events: readonly LoggedEvent[]) => void): () => void;
}

/** The event log as read back: replay for reconnecting clients. */
export interface EventLog {
  /** Events of an office with id > afterId, oldest first, at most `limit`. */
  eventsAfter(officeId: string, afterId: number, limit: number): Promise<LoggedEvent[]>;
  lastEventId(officeId: string): Promise<number>;
  /** The latest events of one type of an office, newest first, at most `limit` (an audit to show staff). */
  latestOfType<T extends DomainEventType>(officeId: string, type: T, limit: number): Promise<Extract<LoggedEvent, { type: T }>[]>;
}
