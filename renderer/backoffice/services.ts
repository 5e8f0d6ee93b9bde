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

/** The service picker at the top of such a section. */
export const servicePicker = (id: string, services: readonly ServiceChoice[], value: string, onChange: (v: string) => void) =>
  selectField({ id, label: t('backoffice.service'), value, options: services.map((s) => ({ value: s.id, label: s.label })), onChange });
