/** An iCalendar event (RFC 5545) for one booking; the UID is stable, so a re-import updates it. */
export function bookingIcs(e: { uid: string; startAt: number; durationMin: number; summary: string; location: string; description: string; url: string; cancelled?: boolean; sequence?: number }): string {
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
  const fold = (line: string): string => {
    const out: string[] = [];
    let rest = line;
    // 75 octets per line; split on characters, conservatively by 60 code units (CJK is 3 bytes each).
    while (Buffer.byteLength(rest, 'utf8') > 75) {
      let n = Math.min(rest.length, 74);
      while (Buffer.byteLength(rest.slice(0, n), 'utf8') > 74) n--;
      out.push(rest.slice(0, n));
      rest = ' ' + rest.slice(n);
    }
    out.push(rest);
    return out.join('\r\n');
  };
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Fronta//Booking//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${e.cancelled === true ? 'CANCEL' : 'PUBLISH'}`,
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    // Raised by each change the office makes: a calendar replaces the event it holds only by a higher one.
    `SEQUENCE:${e.sequence ?? 0}`,
    `DTSTAMP:${stamp(e.startAt)}`,
    `DTSTART:${stamp(e.startAt)}`,
    `DTEND:${stamp(e.startAt + e.durationMin * 60_000)}`,
    `SUMMARY:${escape(e.summary)}`,
    `LOCATION:${escape(e.location)}`,
    `DESCRIPTION:${escape(e.description)}`,
    `URL:${e.url}`,
    `STATUS:${e.cancelled === true ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
