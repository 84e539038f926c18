/** Every error of a document at once: the threshold band is checked beside the schema's errors, not after them. */
import { validateSpec } from '../../spec';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.4.2';

describe('validateSpec reports schema and semantic errors together', () => {
  it('names the threshold band beside a schema error elsewhere', () => {
    const result = validateSpec({
      stack: 'orders-api',
      image: IMAGE,
      port: 'eighty',
      thresholds: { scaleUp: { requestsPerSecond: 5 }, scaleDown: { requestsPerSecond: 10 } },
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['port', 'thresholds.scaleDown.requestsPerSecond']));
  });

  it('checks a given scale-down rate against the computed scale-up rate when the sizes are valid', () => {
    const result = validateSpec({
      stack: 'orders-api',
      image: IMAGE,
      port: 'eighty',
      thresholds: { scaleDown: { requestsPerSecond: 500 } },
    });
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['port', 'thresholds.scaleDown.requestsPerSecond']));
  });

  it('does not guess a computed rate from sizes that are themselves invalid', () => {
    const result = validateSpec({
      stack: 'orders-api',
      image: IMAGE,
      fargate: { cpu: 'lots' },
      thresholds: { scaleDown: { requestsPerSecond: 500 } },
    });
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(['fargate.cpu']);
  });
});
