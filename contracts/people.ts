import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { KioskPrinter } from './screens.ts';

/**
 * People and devices of an office, and the offices of an install, as the back office and the CLI
 * read and write them. Instants are epoch milliseconds. Nothing here ever carries a password hash
 * or a device token's hash; a generated password or a device token appears once, in the answer
 * that made it. Bodies are strict: an unknown field is refused, so a misspelt option never passes.
 */

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

export const ROLES = ['clerk', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export const Username = z.string().trim().min(2).max(64).regex(/^[a-z0-9._-]+$/i, 'letters, digits, . _ and - only');
export const DisplayName = z.string().trim().min(1).max(80);
/** Where alerts reach the user; null = none. */
export const Email = z.email().max(254);
/** At least 10 characters: a password chosen by its user. */
export const NewPassword = z.string().min(10).max(256);

// ——— params ———

export const OfficeIdParams = z.object({ officeId: id });
export const OfficeUserParams = z.object({ officeId: id, userId: id });
export const OfficeDeviceParams = z.object({ officeId: id, deviceId: id });

// ——— offices of the install ———

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
/** An IANA zone, e.g. `Europe/Prague`. */
export const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'not a known time zone (e.g. Europe/Prague)');

/** `POST /offices` (install admins): an empty office (no services, no counters), and optionally its first admin. */
export const CreateOfficeBody = z.strictObject({
  /** Generated from the name when absent. */
  id: id.optional(),
  name: z.string().trim().min(1).max(120),
  timeZone: TimeZone,
  /** The office's languages, the default first. */
  languages: z
    .array(z.enum(LANGUAGES))
    .min(1)
    .max(LANGUAGES.length)
    .refine((l) => new Set(l).size === l.length, 'each language once'),
  /** Its first admin: gets a generated one-time password, shown once in the answer. */
  admin: z.strictObject({ username: Username, displayName: DisplayName.optional(), email: Email.optional() }).optional(),
});

export const OfficeSummary = z.object({ id: z.string(), name: z.string(), timeZone: z.string(), languages: z.array(z.enum(LANGUAGES)) });

// ——— users ———

/** A user as the back office sees them: never the password hash. */
export const UserView = z.object({
  id: z.string(),
  officeId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  email: z.string().nullable(),
  /** Manages every office of the install (made by `fronta init` or `fronta users add --install-admin`). */
  isInstallAdmin: z.boolean(),
  /** Signed in with a password somebody else saw: their sessions can only change it until they do. */
  mustChangePassword: z.boolean(),
  createdAt: z.number(),
  disabledAt: z.number().nullable(),
});
export type UserViewT = z.infer<typeof UserView>;

export const UsersResponse = z.object({ users: z.array(UserView) });
export const UserResponse = z.object({ user: UserView });
/** A user and the password generated for them: shown this once, to be changed at the first sign-in. */
export const UserWithPasswordResponse = z.object({ user: UserView, password: z.string() });

/**
 * `POST /offices/:officeId/users`. Without `password` one is generated, shown once and must be
 * changed at the first sign-in; with one, the admin chose it and the user need not change it.
 */
export const CreateOfficeUserBody = z.strictObject({
  username: Username,
  role: Role,
  displayName: DisplayName.optional(),
  email: Email.optional(),
  password: z.string().min(8).max(256).optional(),
});

/** `PATCH /offices/:officeId/users/:userId`: the fields given replace theirs (`email: null` removes it). */
export const UpdateUserBody = z
  .strictObject({ role: Role.optional(), displayName: DisplayName.optional(), email: Email.nullable().optional() })
  .refine((b) => Object.keys(b).length > 0, 'at least one field');

/** `POST /auth/password`: any signed-in user, their own password. Their other sessions end. */
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPassword,
});

export const OkResponse = z.object({ ok: z.literal(true) });

/** `GET /auth/me` and `POST /auth/login` for a user. */
export const MeUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  officeId: z.string(),
  isInstallAdmin: z.boolean(),
  mustChangePassword: z.boolean(),
});

// ——— devices ———

export const DEVICE_KINDS = ['kiosk', 'display'] as const;

/** A device as the back office sees it: never its token. */
export const DeviceView = z.object({
  id: z.string(),
  officeId: z.string(),
  kind: z.enum(DEVICE_KINDS),
  name: z.string(),
  printer: z.enum(['agent', 'none']),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
  /** Last request or socket connection with its token (recorded at most once a minute); null = never. */
  lastSeenAt: z.number().nullable(),
  /** A kiosk printing through an agent: what the host knows of its printer now; else null. */
  printerState: KioskPrinter.nullable(),
});
export type DeviceViewT = z.infer<typeof DeviceView>;

export const DevicesResponse = z.object({ devices: z.array(DeviceView) });
export const DeviceResponse = z.object({ device: DeviceView });
/** The pairing credential (device token) is in this answer only; the host keeps its hash. */
export const CreatedDeviceResponse = z.object({ device: DeviceView, token: z.string() });

/** `POST /offices/:officeId/devices`: same as `CreateDeviceBody` of contracts/api.ts. */
export { CreateDeviceBody } from './api.ts';

/** `PATCH /offices/:officeId/devices/:deviceId`. */
export const RenameDeviceBody = z.strictObject({ name: z.string().trim().min(1).max(80) });

// ——— kiosk local settings ———

/**
 * `POST /kiosk/unlock` (a kiosk device, with a staff member's user name and password typed on
 * it): opens the kiosk's local settings (printer test, language, unpairing). No session is made;
 * the answer only says who unlocked. Staff of another office, a disabled user or a wrong password
 * are refused alike (AUTH_INVALID_CREDENTIALS).
 */
export const KioskUnlockBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const KioskUnlockResponse = z.object({ user: z.object({ displayName: z.string(), role: Role }) });

// ——— audit ———

export const PEOPLE_ENTITIES = ['user', 'device', 'office'] as const;
export const PEOPLE_ACTIONS = ['created', 'updated', 'password-reset', 'password-changed', 'disabled', 'enabled', 'revoked'] as const;

/**
 * One change of a user, a device or an office of the install: who, when, before → after. Before
 * and after hold the changed fields only, never a password, its hash or a token.
 */
export const PeopleAuditEntry = z.object({
  id: z.number().int(),
  officeId: z.string(),
  at: z.number(),
  /** Null for the CLI (`fronta init`, `fronta users add`…). */
  userId: z.string().nullable(),
  username: z.string().nullable(),
  via: z.enum(['api', 'cli']),
  entity: z.enum(PEOPLE_ENTITIES),
  entityId: z.string(),
  action: z.enum(PEOPLE_ACTIONS),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type PeopleAuditEntryT = z.infer<typeof PeopleAuditEntry>;
export const PeopleAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** Entries with an id below this one (paging back). */
  before: z.coerce.number().int().min(1).optional(),
});
export const PeopleAuditResponse = z.object({ changes: z.array(PeopleAuditEntry) });

export const CreatedOfficeResponse = z.object({ office: OfficeSummary, admin: UserWithPasswordResponse.nullable() });
