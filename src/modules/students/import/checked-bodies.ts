import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

const BATCH = 500;

/**
 * The bodies of the rows that passed their checks, waiting for the rest of the file. As JSON text,
 * 50,000 of them hold ~100 MB of the heap for the whole import, and the collector lets the heap
 * grow to a multiple of what stays alive. Compressed a batch at a time (rows share every key and
 * most values) they take a tenth of that, for about a millisecond per batch each way.
 *
 * Bodies are read back in the order they were added (the write goes through them in file order),
 * so only the last batch opened is kept unpacked.
 */
export class CheckedBodies {
  private readonly sealed: Buffer[] = [];
  private pending: string[] = [];
  private opened: { batch: number; bodies: string[] } | undefined;

  /** Keeps a body; returns the number to read it back with. */
  add(body: Record<string, unknown>): number {
    this.pending.push(JSON.stringify(body));
    const index = this.sealed.length * BATCH + this.pending.length - 1;
    if (this.pending.length === BATCH) {
      // JSON text never holds a raw line break (JSON.stringify escapes it), so one separates bodies.
      this.sealed.push(deflateRawSync(this.pending.join('\n'), { level: constants.Z_BEST_SPEED }));
      this.pending = [];
    }
    return index;
  }

  get(index: number): Record<string, unknown> {
    const batch = Math.floor(index / BATCH);
    let bodies: string[];
    if (batch === this.sealed.length) bodies = this.pending;
    else {
      if (this.opened?.batch !== batch) this.opened = { batch, bodies: inflateRawSync(this.sealed[batch]!).toString('utf8').split('\n') };
      bodies = this.opened.bodies;
    }
    const text = bodies[index % BATCH];
    if (text === undefined) throw new RangeError(`no checked body ${index}`);
    return JSON.parse(text) as Record<string, unknown>;
  }
}
