import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTrace, TraceFormatError } from '../../../simulation/traffic';

const DIURNAL = path.join(__dirname, '..', '..', '..', 'examples', 'traces', 'diurnal.csv');

describe('loadTrace', () => {
  it('reads a sample trace: one row per minute from 0', () => {
    const trace = loadTrace(fs.readFileSync(DIURNAL, 'utf8'));
    expect(trace.rows).toHaveLength(1440);
    expect(trace.rows[0]).toEqual({ minute: 0, rps: 0.49, durationMs: 100 });
  });

  it.each([
    ['minute,rps\n0,1', 1, 'header'],
    ['minute,rps,duration_ms\n0,1,100\n1,2', 3, 'expected 3 fields'],
    ['minute,rps,duration_ms\n0,1,100\n2,1,100', 3, 'expected minute 1'],
    ['minute,rps,duration_ms\n0,-1,100', 2, 'rps'],
    ['minute,rps,duration_ms\n0,abc,100', 2, 'rps'],
    ['minute,rps,duration_ms\n0,1,0', 2, 'duration_ms'],
    ['minute,rps,duration_ms\nx,1,100', 2, 'not an integer'],
    ['minute,rps,duration_ms\n', 2, 'no rows'],
  ])('rejects %j at line %d', (csv, line, text) => {
    let error: unknown;
    try {
      loadTrace(csv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceFormatError);
    expect(error).toMatchObject({ line, message: expect.stringContaining(text) });
    expect((error as Error).message).toMatch(new RegExp(`^trace line ${line}:`));
  });

  it('accepts CRLF line ends and a trailing blank line', () => {
    expect(loadTrace('minute,rps,duration_ms\r\n0,1.5,80\r\n1,2,90\r\n').rows).toEqual([
      { minute: 0, rps: 1.5, durationMs: 80 },
      { minute: 1, rps: 2, durationMs: 90 },
    ]);
  });
});
