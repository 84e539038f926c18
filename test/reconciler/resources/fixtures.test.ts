import { validateSpec } from '../../../spec';
import { testContext, testSpec, NOW } from './fixtures';

describe('resource test fixtures', () => {
  it('testSpec is a valid, fully defaulted spec', () => {
    const result = validateSpec(testSpec());
    expect(result).toEqual({ ok: true, spec: testSpec() });
  });

  it('testContext uses the fixed clock and the test region', () => {
    const ctx = testContext();
    expect(ctx.now()).toBe(NOW);
    expect(ctx.region).toBe('us-east-1');
  });
});
