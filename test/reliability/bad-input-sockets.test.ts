import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NAMESPACE } from '../../contracts/print.ts';
import { createDevice } from '../../server/provisioning.ts';
import { prepare, Prober, type Fixture, type Headers } from '../helpers/bad-input-fixture.ts';
import { errorCodeOf } from '../helpers/error-envelope.ts';
import { changedTables, storeSnapshot } from '../helpers/store-snapshot.ts';
import { FULL_SIZE, report, sleep } from './report.ts';
import { partStores } from './stores.ts';

/**
 * fast-check events against every socket.io namespace of a host (`/` for screens and staff pages,
 * `/agent` for print agents, and namespaces that do not exist), connected as every device and
 * role, as a public page, with forged and random handshakes: random event names and payloads,
 * with and without acknowledgement callbacks, and raw packets that are not socket.io at all. Then
 * a print agent that answers the host's hold and print requests with garbage while the kiosk
 * issues. Must hold: the host keeps answering, no 5xx, no table changed by the events (every
 * table's checksum before and after), and well-formed clients — a display, a staff page, a print
 * agent — still work afterwards. On SQLite and on PostgreSQL.
 */

const RUNS = FULL_SIZE ? 1_500 : 150;
const ISSUES = FULL_SIZE ? 200 : 30;

/** Names the client library keeps for itself (emitting one throws in the client, not the host). */
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);
const KNOWN_EVENTS = ['printer:status', 'print:job', 'print:hold', 'print:release', 'sync:done', 'ticket:issued', 'ticket:called', 'queue:changed', 'config:changed', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'message'];
/** Raw engine.io/socket.io packets: malformed, unknown types, huge, binary placeholders without attachments. */
const RAW_PACKETS = ['garbage', '4', '42', '42[', '42["x",', '4["__proto__",{}]', '43', '451-["x",{"_placeholder":true,"num":0}]', '49', '40/nope,', '41', '4'.repeat(20_000), '2probe', '6', '\u0000'];

let f: Fixture;
let base = '';
let agentToken = '';
const open: Socket[] = [];

interface Handshake {
  label: string;
  auth: Record<string, unknown>;
  headers: Headers;
}

function handshakes(): fc.Arbitrary<Handshake> {
  const roles = (['admin', 'supervisor', 'clerk1', 'clerk4', 'o2admin', 'none'] as const).map((who) => ({ label: who, auth: {}, headers: f.who[who] }));
  const devices = [
    { label: 'kiosk', auth: { token: f.h.kioskToken }, headers: {} },
    { label: 'display', auth: { token: f.h.displayToken }, headers: {} },
    { label: 'agent kiosk', auth: { token: agentToken }, headers: {} },
    { label: 'public page', auth: { isPublic: true, officeId: 'o1' }, headers: {} },
    { label: 'display of o1 asking for o2', auth: { token: f.h.displayToken, officeId: 'o2' }, headers: {} },
    { label: 'admin replaying from 0', auth: { lastEventId: 0 }, headers: f.who.admin },
  ];
  const known = fc.constantFrom<Handshake>(...roles, ...devices);
  const forged = fc.constantFrom<Handshake>(...f.badTokens.map(([label, headers]) => ({ label, auth: {}, headers })));
  const randomAuth = fc
    .record(
      {
        token: fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue({ maxDepth: 2 }), fc.constant(f.h.kioskToken)),
        lastEventId: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
        officeId: fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('o1', 'o2', '../o1')),
        isPublic: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((auth) => ({ label: 'random handshake', auth, headers: {} }));
  return fc.oneof({ weight: 4, arbitrary: known }, { weight: 1, arbitrary: forged }, { weight: 1, arbitrary: randomAuth });
}

const eventNames = fc.oneof(fc.constantFrom(...KNOWN_EVENTS), fc.string({ maxLength: 40 })).filter((n) => !RESERVED.has(n));
const emits = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('event' as const), name: eventNames, args: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }), ack: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), packet: fc.oneof(fc.constantFrom(...RAW_PACKETS), fc.string({ maxLength: 200 })) }) },
  ),
  { minLength: 1, maxLength: 6 },
);

/** Connects and waits for the handshake's outcome: the socket, or the refusal's message. */
function connect(namespace: string, h: Handshake): Promise<{ socket: Socket; refused: string | null }> {
  const socket = io(new URL(namespace, base).toString(), { auth: h.auth, extraHeaders: h.headers, transports: ['websocket'], reconnection: false, timeout: 3_000 });
  open.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, refused: null }));
    socket.once('connect_error', (e) => resolve({ socket, refused: e.message }));
  });
}

const healthy = async (): Promise<boolean> => (await fetch(`${base}/api/health`)).status === 200;

describe.each(partStores(false))('bad input everywhere on %s: events against every socket namespace', (store) => {
  beforeAll(async () => {
    f = await prepare(store);
    base = await f.h.app.listen({ host: '127.0.0.1', port: 0 });
    let n = 0;
    const made = await createDevice(
      f.h.stores.people,
      { clock: f.h.clock, ids: { ticketId: () => `sk${++n}`, entityId: (p) => `${p}_sk${++n}` } },
      { officeId: 'o1', kind: 'kiosk', name: 'Printing kiosk', printer: 'agent' },
    );
    agentToken = made.token;
  }, 60_000);
  afterAll(async () => {
    for (const s of open.splice(0)) s.disconnect();
    await (f as Fixture | undefined)?.h.close();
  });

  it(`${RUNS} generated connections and events, then garbage acknowledgements: the host answers, nothing changed, good clients still work`, { timeout: 600_000 }, async () => {
    const before = await storeSnapshot(f.h, f.h.clock.now());
    const tally = { connected: 0, refused: 0, events: 0, raw: 0, unhealthy: 0 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/', '/', '/', AGENT_NAMESPACE, '/nope', '/admin'), handshakes(), emits, async (namespace, h, sent) => {
        const { socket, refused } = await connect(namespace, h);
        if (refused !== null) tally.refused++;
        else {
          tally.connected++;
          for (const e of sent) {
            if (e.kind === 'raw') {
              tally.raw++;
              // Straight onto the transport: a socket.io packet the parser must refuse.
              (socket.io.engine as unknown as { write(data: string): void }).write(e.packet);
            } else {
              tally.events++;
              socket.emit(e.name, ...e.args, ...(e.ack ? [() => undefined] : []));
            }
          }
          await sleep(5);
        }
        socket.disconnect();
      }),
      { numRuns: RUNS },
    );
    await sleep(100);
    if (!(await healthy())) tally.unhealthy++;
    const changedByEvents = changedTables(before, await storeSnapshot(f.h, f.h.clock.now()));

    // A print agent that answers the host's hold and print requests with garbage while the kiosk issues.
    const p = new Prober(f, { acceptedMayChange: true, dumpEach: true, writingRefusals: ['PRINT_FAILED'] });
    const count = async (state: string): Promise<number> => Number((await f.h.sql<{ n: number }>(`SELECT count(*) AS n FROM tickets WHERE state = '${state}'`))[0]!.n);
    const waitingBefore = await count('waiting');
    const voidBefore = await count('void');
    const garbage = fc.sample(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant({ ok: true }), fc.constant({ ok: true, status: { state: 'ok' } }), fc.constant({ ok: 'yes', status: { state: 'ok', isPaperNearEnd: false } })), ISSUES * 2);
    const { socket: liar } = await connect(AGENT_NAMESPACE, { label: 'lying agent', auth: { token: agentToken }, headers: {} });
    let answers = 0;
    const ackGarbage = (...args: unknown[]): void => {
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (v: unknown) => void)(garbage[answers++ % garbage.length]);
    };
    // A good hold now and then, so that print jobs are sent too and get their garbage answer.
    liar.on('print:hold', (...args: unknown[]) => {
      const ack = args.at(-1);
      if (answers % 3 === 0 && typeof ack === 'function') {
        answers++;
        (ack as (v: unknown) => void)({ ok: true, status: { state: 'ok', isPaperNearEnd: false } });
      } else ackGarbage(...args);
    });
    liar.on('print:job', ackGarbage);
    liar.emit('printer:status', { state: 'ok', isPaperNearEnd: false });
    await sleep(50);
    let issuedByLiar = 0;
    let printFailed = 0;
    for (let i = 0; i < ISSUES; i++) {
      liar.emit('printer:status', { state: 'ok', isPaperNearEnd: false });
      const req = { method: 'POST' as const, url: '/api/v1/tickets', headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' }, payload: JSON.stringify({ serviceId: 'o1-s2' }) };
      const a = await p.probe({ what: 'issue through a lying agent', req, expect: 'not-5xx' });
      if (a.statusCode === 201) issuedByLiar++;
      if (errorCodeOf(a) === 'PRINT_FAILED') printFailed++;
    }
    liar.disconnect();
    const waitingAfter = await count('waiting');
    const voided = (await count('void')) - voidBefore;

    // Well-formed clients afterwards: a display and a staff page hear the next ticket; a good agent prints it.
    const { socket: display, refused: displayRefused } = await connect('/', { label: 'display', auth: { token: f.h.displayToken }, headers: {} });
    const { socket: staff, refused: staffRefused } = await connect('/', { label: 'admin', auth: {}, headers: f.who.admin });
    const { socket: agent } = await connect(AGENT_NAMESPACE, { label: 'good agent', auth: { token: agentToken }, headers: {} });
    agent.on('print:hold', (_h: unknown, ack: (v: unknown) => void) => ack({ ok: true, status: { state: 'ok', isPaperNearEnd: false } }));
    agent.on('print:job', (_j: unknown, ack: (v: unknown) => void) => ack({ ok: true, status: { state: 'ok', isPaperNearEnd: false }, stage: 'printed' }));
    agent.emit('printer:status', { state: 'ok', isPaperNearEnd: false });
    await sleep(100);
    const heardIssued = new Promise<string>((resolve) => staff.once('ticket:issued', (e: { payload: { ticket: { id: string } } }) => resolve(e.payload.ticket.id)));
    const heardQueue = new Promise<void>((resolve) => display.once('queue:changed', () => resolve()));
    const good = await f.h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${agentToken}` }, payload: { serviceId: 'o1-s1' } });
    const goodTicket = good.json<{ ticket?: { id: string } }>().ticket?.id;
    const [heard] = await Promise.all([heardIssued, heardQueue]);
    for (const s of [display, staff, agent]) s.disconnect();

    const line = report({
      part: 'bad-input-sockets',
      store,
      runs: p.count + RUNS,
      faults: tally.events + tally.raw + tally.refused + answers,
      ackedChecked: p.tally.dumps + 1,
      lost: goodTicket !== undefined && heard === goodTicket ? 0 : 1,
      duplicates: 0,
      fiveXx: p.tally.fiveXx,
      extra: {
        namespaces: `/,${AGENT_NAMESPACE},unknown`,
        connected: tally.connected,
        refused_handshakes: tally.refused,
        events: tally.events,
        raw_packets: tally.raw,
        garbage_acks: answers,
        issued_through_liar: issuedByLiar,
        print_failed_voided: `${printFailed}/${voided}`,
        tables_changed_by_events: changedByEvents.length,
        host_unhealthy: tally.unhealthy,
      },
    });
    expect(changedByEvents, line).toEqual([]);
    expect(tally.unhealthy).toBe(0);
    expect(p.failures).toEqual([]);
    // A refused issue never leaves a waiting ticket behind (a garbage print answer voids its number).
    expect(waitingAfter - waitingBefore).toBe(issuedByLiar);
    expect(voided).toBe(printFailed);
    expect([displayRefused, staffRefused]).toEqual([null, null]);
    expect(good.statusCode).toBe(201);
    expect(heard).toBe(goodTicket);
    expect(await healthy()).toBe(true);
  });
});
