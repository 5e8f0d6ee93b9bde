import type { CounterStatus, Ticket, TicketState } from './model.ts';
import type { SettingChange, SettingsChangeVia } from '../booking/model.ts';
import type { PrinterState } from '../queue/printer.ts';
import type { Alert } from '../alerts/alerts.ts';
import type { ConfigSectionName } from '../config/sections.ts';
import type { RefundReason } from '../fees/model.ts';

/**
 * Domain events: appended to the event log in the transaction of the change they describe,
 * then fanned out (socket.io), replayed to clients that reconnect, read by statistics.
 * Payloads carry numbers and counters only, never a client's name.
 */

export interface TicketView {
  id: string;
  number: string;
  serviceId: string;
  state: TicketState;
  counterId: string | null;
  categoryId: string | null;
  arrivedAt: number;
  bookedAt: number | null;
  recallCount: number;
}

/** How a ticket joined the queue: statistics count walk-ins, booked arrivals and reception tickets apart. */
export interface TicketOrigin {
  channel: 'walk_in' | 'booked' | 'reception';
  /** The kiosk that printed it or took the walk-in. */
  deviceId?: string;
  /** The counter that issued it at reception. */
  counterId?: string;
}

export interface ServiceLoadView {
  serviceId: string;
  waiting: number;
  /** Minutes, null when no open counter serves the service. */
  estimatedWaitMin: number | null;
  oldestArrivedAt: number | null;
}

export type DomainEvent =
  | {
      type: 'ticket:issued';
      officeId: string;
      /** `origin` (absent on events written before statistics): how the ticket came and from which kiosk or counter. */
      payload: { ticket: TicketView; origin?: TicketOrigin };
    }
  | {
      type: 'ticket:called';
      officeId: string;
      /** `userId`: the clerk who called (absent on events written before statistics). */
      payload: { ticket: TicketView; counterId: string; counterNumber: string; recall: boolean; userId?: string };
    }
  | {
      type: 'ticket:changed';
      officeId: string;
      /** `reason` says why a print failed (printing → void): what the agent reported; `deviceId` the kiosk that failed. */
      payload: { ticket: TicketView; previous: TicketState; reason?: string; deviceId?: string };
    }
  | { type: 'queue:changed'; officeId: string; payload: { services: ServiceLoadView[] } }
  | {
      type: 'counter:changed';
      officeId: string;
      payload: { counterId: string; number: string; status: CounterStatus; userId: string | null; ticket: TicketView | null };
    }
  | { type: 'service:closed'; officeId: string; payload: { serviceId: string; day: string } }
  | {
      /** A kiosk's printer, as its print agent reports it (or `no_agent` when the agent is gone). */
      type: 'printer:changed';
      officeId: string;
      payload: { deviceId: string; deviceName: string; state: PrinterState; isOutOfOrder: boolean; isPaperNearEnd: boolean };
    }
  | {
      /**
       * A clerk called a chosen ticket out of turn, with their reason (staff only: never sent to
       * a hall display, which gets the `ticket:called` of the same call).
       */
      type: 'ticket:called-out-of-order';
      officeId: string;
      payload: { ticket: TicketView; counterId: string; counterNumber: string; userId: string; reason: string };
    }
  | {
      /** Staff printed a ticket again (a jam, a torn ticket): same number, same place in the queue. */
      type: 'ticket:reprinted';
      officeId: string;
      payload: { ticket: TicketView; deviceId: string; userId: string };
    }
  | {
      /** Staff sent a waiting message of the outbox at once (its retry was due later): who, which message. */
      type: 'outbox:resent';
      officeId: string;
      payload: { messageId: string; kind: string; channel: string; userId: string };
    }
  | {
      /**
       * Staff changed the office's online-booking settings (the crisis switch, check-in, rules,
       * retention): who, through which door, and each field from → to. Public texts and numbers only.
       */
      type: 'booking:settings-changed';
      officeId: string;
      payload: { userId: string; via: SettingsChangeVia; changes: SettingChange[] };
    }
  | {
      /** A client rated a visit (1–5) on the ticket's page; a second rating of the ticket replaces the first. */
      type: 'ticket:rated';
      officeId: string;
      payload: { ticketId: string; serviceId: string; counterId: string | null; rating: number };
    }
  | {
      /**
       * A booking was confirmed, or a confirmed booking cancelled (by its client, a rule or an
       * office change): its id, number, service and time only (outgoing webhooks read it).
       */
      type: 'booking:changed';
      officeId: string;
      payload: { bookingId: string; number: string; serviceId: string; startAt: number; state: 'confirmed' | 'cancelled' };
    }
  | {
      /**
       * A booking's fee moved at the provider: its order was paid (`attempt`: the payment kept),
       * an attempt failed (a declined card), or a refund went through (`refund`, with its reason).
       * Amounts in minor units of `currency`; no personal data (staff only: webhooks read it).
       */
      type: 'payment:changed';
      officeId: string;
      payload: {
        orderNo: string;
        bookingId: string;
        serviceId: string;
        amount: number;
        currency: string;
        state: 'succeeded' | 'failed' | 'refunded';
        attempt: number;
        refund: number | null;
        reason: RefundReason | null;
      };
    }
  | {
      /** The office's alerts now (the whole list), sent when one is raised or cleared. */
      type: 'alerts:changed';
      officeId: string;
      payload: { alerts: Alert[] };
    }
  | {
      /**
       * The office's configuration changed (the back office, the office file, an undo): screens
       * refetch what they show if one of `sections` concerns them. `changeId` is the audit record.
       */
      type: 'config:changed';
      officeId: string;
      payload: { changeId: number; sections: ConfigSectionName[] };
    };

export type DomainEventType = DomainEvent['type'];

/** An event as stored and delivered: with its log id (monotonic per host) and time. */
export type LoggedEvent = DomainEvent & { id: number; at: number };

export function ticketView(t: Ticket): TicketView {
  return {
    id: t.id,
    number: t.number,
    serviceId: t.serviceId,
    state: t.state,
    counterId: t.counterId,
    categoryId: t.categoryId,
    arrivedAt: t.arrivedAt,
    bookedAt: t.bookedAt,
    recallCount: t.recallCount,
  };
}
