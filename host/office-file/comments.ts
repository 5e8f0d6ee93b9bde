import { PLACEHOLDERS, TEMPLATE_KINDS } from '../../core/templates/model.ts';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/model.ts';

/**
 * What the office file says about itself: a header, a paragraph above each section and a short
 * note on each field (its unit, what null means). The shape and the limits are the schema's
 * (contracts/office-config.ts); these are only the words a person editing the file needs. A test
 * checks that every section and every number of the schema has one (a number without its unit is
 * the mistake a file invites), so a new field cannot arrive unexplained.
 */

export const FILE_HEADER = `Fronta office file: the whole configuration of one office.
It holds no people's data (users, devices, rosters, bookings) and no secrets.
  fronta office apply office.yaml --dry-run   shows what would change, changes nothing
  fronta office apply office.yaml             applies it in one transaction (recorded in the office's audit)
Conventions: times are office-local HH:MM in the office's time zone (end exclusive, 24:00 = midnight);
days are office-local YYYY-MM-DD; durations are minutes; capacities count clients per office day.
Ids (departments, services, counters, categories, webhooks) are how the file refers to things: renaming
an id removes the old thing and adds a new one. A section left out of a file (booking, templates,
webhooks) is left as it is by apply.`;

/**
 * Notes by field path (`[]` = every item of a list, `*` = every key). A section's note is written
 * above it with a blank line; a field's note at its first occurrence only, so a long list of
 * services carries them once, on the first service that has the field.
 */
export const FIELD_COMMENTS: Readonly<Record<string, string>> = {
  id: 'The office id (in URLs and the API). --office on apply may name another office to apply this file to.',

  office: 'The office itself: names, time zone, languages, address and public contact.',
  'office.names': 'Name per language (cs, en, ro, zh-CN); the first language of `languages` is the default.',
  'office.timeZone': 'IANA time zone: every time in this file is local to it',
  'office.languages': 'offered on kiosk, portal and tickets; the first is the default',
  'office.voiceLanguages': 'the hall display speaks each call in these, in order (about 3 s per language)',
  'office.address': 'Postal address (portal, tickets, privacy page); null = none.',
  'office.address.lines': 'street and number, building, floor',
  'office.address.postalCode': 'as the post writes it',
  'office.address.city': 'city or town',
  'office.address.country': 'ISO 3166-1 alpha-2 (CZ, RO, CN)',
  'office.contact': 'How the public reaches the office, and the data controller the privacy page names; null = none.',
  'office.contact.phone': 'public phone number',
  'office.contact.email': 'public e-mail address',
  'office.contact.web': 'https:// address of the office web site',
  'office.contact.dataController': "the controller of personal data: name and address, as the privacy page states them",

  logos: 'Logos. screen: PNG, JPEG or WebP (base64) for kiosk, display and portal. ticket: a 1-bit raster (rows of\nwidthDots/8 bytes, base64) small enough to print at 9600 baud, or `stored` in the printer\'s own memory. null = none.',
  'logos.screen': 'null = no logo on screens',
  'logos.screen.mediaType': 'image/png, image/jpeg or image/webp (no SVG: it can carry script)',
  'logos.screen.data': 'the image, base64',
  'logos.ticket': 'null = no logo on tickets',
  'logos.ticket.kind': 'raster (sent with each ticket) or stored (already in the printer)',
  'logos.ticket.widthDots': 'printer dots, a multiple of 8 (576 on 80 mm paper, 384 on 58 mm)',
  'logos.ticket.heightDots': 'printer dots',
  'logos.ticket.data': 'one bit per dot, 1 = black, rows top to bottom, base64',
  'logos.ticket.key': 'the two key code characters the printer stored the logo under',

  hours: 'Opening hours per weekday, office-local: open, close (exclusive) and breaks (no call, no slot).\nnull = closed that weekday.',

  calendar: 'Days that differ from the week: closed days (holidays) and changed days (a short day),\noffice-local YYYY-MM-DD; a date appears once. Supervisors may change these.',
  'calendar.closedDays': 'closed all day; the note is shown on the portal and the kiosk',
  'calendar.closedDays[].note': 'per language',
  'calendar.changedDays': 'other hours than the weekday; serviceIds limits the change to some services (absent: all)',
  'calendar.changedDays[].hours': 'open, close (exclusive), breaks: office-local HH:MM',
  'calendar.changedDays[].note': 'per language',
  'calendar.changedDays[].serviceIds': 'service ids',

  fairness: 'How the queue treats people.',
  'fairness.maxWaitMin': 'minutes: a walk-in waiting longer goes ahead of all but due booked arrivals; 0 = off',
  'fairness.maxRecalls': 'recalls of one call; one more marks the ticket a no-show',
  'fairness.defaultServiceMin': 'minutes of service assumed before any client of a service was served',
  'fairness.priorityCategories': 'Priority categories the kiosk offers; a higher weight goes first among priority tickets.',
  'fairness.priorityCategories[].weight': '1 to 100',
  'fairness.priorityCategories[].names': 'per language',

  alerts: 'When the floor view and the counters alert. Supervisors may change these.',
  'alerts.targetWaitMin': 'minutes the oldest client of a service may wait',
  'alerts.serviceTargets': 'service id: minutes, for services with a target of their own',
  'alerts.outboxBacklog': 'messages waiting to go out',
  'alerts.providerFailures': 'messages of one channel failing (e-mail, SMS)',
  'alerts.emailSupervisors': 'true: e-mail supervisors and admins who gave an address, once per alert',

  departments: 'Departments, in the order the kiosk shows them.',
  'departments[].names': 'per language',

  services: 'Services, in the order the kiosk shows them.',
  'services[].id': 'referred to by counters and calendar days',
  'services[].departmentId': 'a department id above',
  'services[].prefix': '1 to 3 capital letters printed before the number (A 17); unique in the office',
  'services[].names': 'per language',
  'services[].dailyWalkInCapacity': 'walk-in tickets per office day (with online booking, its share decides)',
  'services[].hours': "this service's own weekly hours, inside the office's; null = the office's hours",
  'services[].online': 'online booking; null = walk-in only',
  'services[].online.dayCapacity': "a day's capacity in clients: explicit (clients) or counter-minutes (counter time ÷ serviceMin minutes)",
  'services[].online.dayCapacity.clients': 'clients per office day',
  'services[].online.dayCapacity.serviceMin': 'minutes per client',
  'services[].online.onlineSharePct': "percent of the day's capacity offered online; the rest is walk-in",
  'services[].online.onlinePlaces': 'online places per day regardless of the share; null = by share',
  'services[].online.slotMin': 'minutes per slot',
  'services[].online.placesPerSlot': "clients per slot; null = the day's online places spread over its slots",
  'services[].online.horizonDays': 'furthest bookable day, days after today',
  'services[].online.earliestDays': 'nearest bookable day, days after today (0 = today)',
  'services[].online.release': 'when a day opens for booking: rolling (as it enters the horizon, at openAt) or scheduled',
  'services[].online.release.openAt': 'office-local HH:MM',
  'services[].online.release.weekdays': '0 = Monday … 6 = Sunday',
  'services[].online.release.daysAhead': 'days after the release day',
  'services[].online.allocation': 'fcfs (first come first served) or draw (among the applications of a window)',
  'services[].online.drawWindowMin': 'draw only: minutes applications stay open after the release',
  'services[].online.holdMin': 'minutes a slot is held while the client confirms (one extension)',
  'services[].online.fee': 'a fee paid online before the booking counts; null = free',
  'services[].online.fee.amount': 'in minor units of the currency (cents, haléře): 50000 = 500.00',
  'services[].online.fee.deadlineMin': 'minutes to pay after the contact is confirmed; the time is held until then',
  'services[].online.confirmBy': 'how a client confirms a hold: email (a link), sms (a code)',
  'services[].online.counterWeights': "counter id → share of that counter's time for this service (default 1)",
  'services[].online.identityKey': 'asked in the booking form, kept only as a keyed hash; one active booking per key; null = none',
  'services[].online.identityKey.label': 'the field name per language',
  'services[].rules': 'roster (only listed people may book), outcomes a clerk records, eligibility rules',
  'services[].rules.eligibility': 'after: an outcome (of this service, or `service`) bars booking for minDays; requires: booking only minDays after that outcome',
  'services[].rules.eligibility[].minDays': 'days after the outcome',

  booking: 'Online booking at the office: check-in, the rules about people, how long their data is kept.\nThe crisis switch is not here: it is the state of a day (back office, API).',
  'booking.checkIn': 'how a booked client checks in at the kiosk',
  'booking.checkIn.earlyMin': 'minutes before the booked time a client may check in',
  'booking.checkIn.lateMin': 'minutes after the booked time a client may still check in',
  'booking.checkIn.late': 'a client past the window: refuse, or walk-in (a walk-in ticket while capacity remains)',
  'booking.checkIn.prefix': "prefix of booked arrivals' tickets; null = the service's own",
  'booking.rules': 'rules about people',
  'booking.rules.identityDuplicates': 'a second active booking of the same identity key: refuse, or cancelAll (every such booking, once confirmed)',
  'booking.rules.noShowBanDays': 'days a no-show bars its contacts and identity key from booking; 0 = off',
  'booking.rules.fictitiousBanDays': 'days a staff ban for fictitious data lasts by default (at least 1)',
  'booking.rules.forbidNationalIds': 'true: refuse a national ID number (CNP, rodné číslo, resident ID) in a name, e-mail or identity key',
  'booking.retentionDays': "days a booking's personal data is kept after its day (at least 10)",

  templates: `The office's own messages (e-mail subject and body, SMS) and ticket lines, by kind and language;
a kind or a language not here is Fronta's default. Placeholders each kind may use:
${TEMPLATE_KINDS.map((k) => `  ${k}: ${PLACEHOLDERS[k].map((p) => `{{${p}}}`).join(' ')}`).join('\n')}`,
  'templates.*.*.subject': 'e-mail subject, one line',
  'templates.*.*.text': 'e-mail body',
  'templates.*.*.sms': 'SMS text, one line',
  'templates.*.*.smsSegments': 'SMS segments the text may take at most, measured with sample data',
  'templates.*.*.header': 'lines printed above the number, the first bold',
  'templates.*.*.footer': 'lines printed under the QR code',
  'templates.*.*.columns': 'characters per line of the narrowest printer (32 on 58 mm paper, 48 on 80 mm)',

  webhooks: `Webhooks: events of the office posted, signed, to another system. No secret is in the file: a webhook
the file adds gets a new one, printed once by apply. Pausing and resuming stay in the back office.`,
  'webhooks[].url': 'the https:// address events are posted to',
  'webhooks[].eventTypes': WEBHOOK_EVENT_TYPES.join(', '),
  'webhooks[].extraFields': 'fields with personal or staff data the receiver needs (ticketId, categoryId, clerkId, bookingNumber); none by default',
  'webhooks[].allowPrivate': 'true: the address may be in a private, loopback or link-local network',

  counters: 'Counters, in the order staff pages list them.',
  'counters[].number': 'what the display shows and the voice says; unique in the office',
  'counters[].name': 'a label per language for staff pages and the display; null = none',
  'counters[].departmentId': 'null = none',
  'counters[].serviceIds': 'services served, most preferred first (breaks ties between equal waits)',
};
