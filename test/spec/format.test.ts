import { formatSpecErrors, validateSpec } from '../../spec';

describe('formatSpecErrors', () => {
  it('prints one "<path>: <message>" line per error', () => {
    expect(
      formatSpecErrors([
        { path: 'fargate.memoryMb', message: 'must be at least 512' },
        { path: 'traffic.shiftSteps.2', message: 'must be 100' },
      ]),
    ).toEqual(['fargate.memoryMb: must be at least 512', 'traffic.shiftSteps.2: must be 100']);
  });

  it('names the document itself when the path is empty', () => {
    expect(formatSpecErrors([{ path: '', message: 'must be an object' }])).toEqual([
      '(document): must be an object',
    ]);
  });

  it('formats what validateSpec returns', () => {
    const result = validateSpec({ stack: 'orders-api', image: 'app', tresholds: {} });
    expect(result.ok ? [] : formatSpecErrors(result.errors)).toEqual([
      "tresholds: unknown field 'tresholds' (did you mean 'thresholds'?)",
    ]);
  });
});
