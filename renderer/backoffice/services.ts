import { ServicesResponse } from '../../contracts/api.ts';
import { api } from '../shared/api.ts';
import { t } from '../shared/i18n.ts';
import { selectField } from './form.ts';

/** The office's services, for the sections that work on one of them (roster, rules). */
export interface ServiceChoice {
  id: string;
  label: string;
}

export async function officeServices(officeId: string): Promise<ServiceChoice[]> {
  return (await api('GET', `/offices/${officeId}/services`, ServicesResponse)).services.map((s) => ({ id: s.id, label: `${s.prefix} · ${s.name}` }));
}

/** The office's services, and which stays chosen: the one chosen before if the office still has it, else the first. */
export async function loadServices(officeId: string, chosen: string): Promise<{ services: ServiceChoice[]; serviceId: string }> {
  const services = await officeServices(officeId);
  return { services, serviceId: services.some((s) => s.id === chosen) ? chosen : (services[0]?.id ?? '') };
}

/** The service picker at the top of such a section. */
export const servicePicker = (id: string, services: readonly ServiceChoice[], value: string, onChange: (v: string) => void) =>
  selectField({ id, label: t('backoffice.service'), value, options: services.map((s) => ({ value: s.id, label: s.label })), onChange });
