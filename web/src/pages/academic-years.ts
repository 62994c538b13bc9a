/** `2026/2027` shifted by whole years. */
export function shiftYear(year: string, by: number): string {
  const start = Number(year.slice(0, 4)) + by;
  return `${start}/${start + 1}`;
}

/** The years an office looks at: two back (records), the current one, and the next (planning). */
export function yearChoices(current: string): string[] {
  return [shiftYear(current, 1), current, shiftYear(current, -1), shiftYear(current, -2)];
}
