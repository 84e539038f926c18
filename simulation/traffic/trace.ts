/** Traffic traces: CSV `minute,rps,duration_ms`, one row per minute from 0 (examples/traces/README.md). */
import type { Trace, TraceRow } from './types';

export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`trace line ${line}: ${message}`);
  }
}

const HEADER = 'minute,rps,duration_ms';

/**
 * Parses a trace; throws TraceFormatError naming the first bad line (1-based, header included).
 *
 * @example
 *   const trace = loadTrace(fs.readFileSync('examples/traces/diurnal.csv', 'utf8'));
 *   setTraffic(account, trace);
 */
export function loadTrace(csv: string): Trace {
  const lines = csv.split(/\r?\n/);
  if (lines[0]?.trim() !== HEADER) throw new TraceFormatError(1, `expected the header '${HEADER}'`);
  const rows: TraceRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    const lineNumber = i + 1;
    const fields = text.split(',');
    if (fields.length !== 3)
      throw new TraceFormatError(lineNumber, `expected 3 fields, got ${fields.length}`);
    const [minute, rps, durationMs] = fields.map((f) => (f.trim() === '' ? NaN : Number(f)));
    if (!Number.isInteger(minute))
      throw new TraceFormatError(lineNumber, `minute '${fields[0]}' is not an integer`);
    if (minute !== rows.length) {
      throw new TraceFormatError(
        lineNumber,
        `expected minute ${rows.length}, got ${minute} (minutes run from 0 without gaps)`,
      );
    }
    if (!(Number.isFinite(rps) && rps! >= 0))
      throw new TraceFormatError(lineNumber, `rps '${fields[1]}' is not a number ≥ 0`);
    if (!(Number.isFinite(durationMs) && durationMs! > 0)) {
      throw new TraceFormatError(lineNumber, `duration_ms '${fields[2]}' is not a number > 0`);
    }
    rows.push({ minute: minute!, rps: rps!, durationMs: durationMs! });
  }
  if (rows.length === 0) throw new TraceFormatError(2, 'the trace has no rows');
  return { rows };
}
