import type { QueueDeps } from './issue-ticket.ts';
import { localTime } from '../shared/office-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';

export interface ServiceClosure {
  serviceId: string;
  /** Office-local date the closure holds for; the next day the service opens again by itself. */
  day: string;
}

/**
 * A supervisor closes a service for the rest of the office day: kiosks stop issuing tickets for
 * it (issueTicket answers SERVICE_CLOSED), while the people already waiting are still served.
 * Closing twice is harmless and announces nothing new.
 */
export async function closeServiceForDay(deps: QueueDeps, input: { officeId: string; serviceId: string }): Promise<Result<ServiceClosure>> {
  const { store } = deps;
  const service = await store.getService(input.serviceId);
  if (service === null || service.officeId !== input.officeId) return fail('SERVICE_NOT_FOUND');
  const office = await store.getOffice(service.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const now = deps.clock.now();
  const day = localTime(office.timeZone, now).date;
  if (await store.closeServiceForDay(service.id, day, now)) {
    await store.appendEvent({ type: 'service:closed', officeId: office.id, payload: { serviceId: service.id, day } }, now);
    await store.markQueueChanged(office.id, now);
  }
  return ok({ serviceId: service.id, day });
}
