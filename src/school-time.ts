/** Dates as the school lives them: in its time zone (TIME_ZONE), not the server's. */

// Building a formatter costs far more than using one, and lists ask for today on every request.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The date (`YYYY-MM-DD`) of an instant (default: now) in a time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  let format = dateFormats.get(timeZone);
  if (!format) dateFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(now);
}

/** The UTC instant at which a local date starts in a time zone. */
export function startOfDay(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  const local = new Date(guess.toLocaleString('en-US', { timeZone }));
  const utc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(guess.getTime() - (local.getTime() - utc.getTime()));
}

/** Whether `YYYY-MM-DD` names a day that exists (not 2026-02-30). */
export function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}
