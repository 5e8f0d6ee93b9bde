import type { DeviceKind, UserRole } from '../shared/model.ts';

/**
 * Who may do what. Passwords and tokens never reach the store in clear: the server hashes them
 * (scrypt for passwords, SHA-256 for random 256-bit tokens) and the store keeps only hashes.
 */

export interface UserRecord {
  id: string;
  officeId: string;
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  disabledAt: number | null;
  /** Where alerts reach them; null = none. */
  email: string | null;
  /** Manages every office of the install besides being an admin of `officeId` (their home office). */
  isInstallAdmin: boolean;
  /** Their password was generated (new user, reset): their sessions may only change it until they do. */
  mustChangePassword: boolean;
  createdAt: number;
}

/**
 * How a kiosk's tickets reach paper: `agent` = through the print agent beside it (a ticket joins
 * the queue only once the agent acknowledged the print); `none` = no printer, straight to the
 * queue (a tablet kiosk, a test). Displays are always `none`.
 */
export type PrinterMode = 'agent' | 'none';

export interface DeviceRecord {
  id: string;
  officeId: string;
  kind: DeviceKind;
  name: string;
  printer: PrinterMode;
  createdAt: number;
  revokedAt: number | null;
  /** Last request or socket connection with its token (written at most once a minute); null = never. */
  lastSeenAt: number | null;
}

export interface AccessStore {
  userByUsername(username: string): Promise<UserRecord | null>;
  userById(id: string): Promise<UserRecord | null>;
  /** Fails with USERNAME_TAKEN semantics by returning false when the name exists. */
  createUser(user: UserRecord): Promise<boolean>;
  setPassword(userId: string, passwordHash: string): Promise<boolean>;
  createSession(tokenHash: string, userId: string, createdAt: number, expiresAt: number): Promise<void>;
  /** The user of a live session (not expired, user not disabled), else null. */
  sessionUser(tokenHash: string, now: number): Promise<UserRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null>;
  createDevice(device: DeviceRecord, tokenHash: string): Promise<void>;
  /** True when a live device was revoked now. */
  revokeDevice(id: string, at: number): Promise<boolean>;
  listDevices(officeId: string): Promise<DeviceRecord[]>;
  /** Notes a device's request or connection; cheap enough for every one (writes at most once a minute per device). */
  deviceSeen(id: string, at: number): Promise<void>;
}

/** Roles in increasing power: a supervisor can do what a clerk can, an admin what both can. */
export const ROLE_RANK: Readonly<Record<UserRole, number>> = { clerk: 1, supervisor: 2, admin: 3 };

export const hasRole = (role: UserRole, atLeast: UserRole): boolean => ROLE_RANK[role] >= ROLE_RANK[atLeast];
