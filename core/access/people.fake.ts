import type { Office } from '../shared/model.ts';
import type { DeviceRecord, UserRecord } from './access.ts';
import type { EndSessions, PeopleAuditInput, PeopleAuditRecord, PeopleStore, UserPatch } from './people.ts';

/** In-memory PeopleStore for core unit tests; sessions are token hashes per user. */
export class MemoryPeopleStore implements PeopleStore {
  readonly users = new Map<string, UserRecord>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly sessions = new Map<string, string>();
  readonly audit: PeopleAuditRecord[] = [];
  readonly offices = new Map<string, Office>();

  private log(a: PeopleAuditInput | null): void {
    if (a !== null) this.audit.push({ ...a, id: this.audit.length + 1 });
  }

  listUsers(officeId: string) {
    return Promise.resolve([...this.users.values()].filter((u) => u.officeId === officeId).sort((a, b) => a.createdAt - b.createdAt));
  }
  findUser(id: string) {
    return Promise.resolve(this.users.get(id) ?? null);
  }
  countEnabledAdmins(officeId: string) {
    return Promise.resolve([...this.users.values()].filter((u) => u.officeId === officeId && u.role === 'admin' && u.disabledAt === null).length);
  }
  insertUser(user: UserRecord, audit: PeopleAuditInput) {
    if ([...this.users.values()].some((u) => u.username === user.username)) return Promise.resolve(false);
    this.users.set(user.id, user);
    this.log(audit);
    return Promise.resolve(true);
  }
  updateUser(id: string, patch: UserPatch, end: EndSessions, audit: PeopleAuditInput | null) {
    const user = this.users.get(id);
    if (user === undefined) return Promise.resolve(null);
    const next = { ...user, ...patch };
    this.users.set(id, next);
    for (const [token, userId] of this.sessions) {
      if (userId === id && (end.kind === 'all' || (end.kind === 'all-but' && token !== end.tokenHash))) this.sessions.delete(token);
    }
    this.log(audit);
    return Promise.resolve(next);
  }
  findDevice(id: string) {
    return Promise.resolve(this.devices.get(id) ?? null);
  }
  insertDevice(device: DeviceRecord, _tokenHash: string, audit: PeopleAuditInput) {
    this.devices.set(device.id, device);
    this.log(audit);
    return Promise.resolve();
  }
  updateDevice(id: string, patch: { name?: string; revokedAt?: number }, audit: PeopleAuditInput) {
    const device = this.devices.get(id);
    if (device === undefined) return Promise.resolve(null);
    const next = { ...device, ...patch };
    this.devices.set(id, next);
    this.log(audit);
    return Promise.resolve(next);
  }
  recordAudit(audit: PeopleAuditInput) {
    this.log(audit);
    return Promise.resolve();
  }
  insertOffice(office: Office, audit: PeopleAuditInput) {
    if (this.offices.has(office.id)) return Promise.resolve(false);
    this.offices.set(office.id, office);
    this.log(audit);
    return Promise.resolve(true);
  }
  listAudit(officeId: string, limit: number, before = Number.MAX_SAFE_INTEGER) {
    return Promise.resolve(this.audit.filter((a) => a.officeId === officeId && a.id < before).reverse().slice(0, limit));
  }
}
