/**
 * `2026-12-05T07:30` read as the wall-clock time in a time zone, as an ISO instant. The form's
 * times are the school's (a dispensation from 07:30 WITA), whatever zone the browser is set to.
 */
export function schoolTimeToIso(local: string, timeZone: string): string {
  const asUtc = new Date(`${local}:00Z`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(asUtc)
      .map((p) => [p.type, p.value]),
  );
  const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return new Date(asUtc.getTime() - (shown - asUtc.getTime())).toISOString();
}
