import fc from 'fast-check';
import {
  COMPONENTS,
  NAME_LIMITS,
  allowedFargateMemory,
  completeThresholds,
  names,
  resourceName,
  validateSpec,
} from '../../spec';

const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const lowerDigitHyphen = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-');
const lowerDigit = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');

/** Valid stack names: 3–24 characters, a letter first, no hyphen last. */
const stackName = fc
  .tuple(lower, fc.array(lowerDigitHyphen, { minLength: 1, maxLength: 22 }), lowerDigit)
  .map(([first, middle, last]) => `${first}${middle.join('')}${last}`);

const image = fc.constantFrom(
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2',
  'nginx',
  'public.ecr.aws/team/app:latest',
  `localhost:5000/a/b/c@sha256:${'0123456789abcdef'.repeat(4)}`,
);

const fargate = fc
  .constantFrom(256, 512, 1024, 2048, 4096, 8192, 16384)
  .chain((cpu) =>
    fc.record({ cpu: fc.constant(cpu), memoryMb: fc.constantFrom(...allowedFargateMemory(cpu)) }),
  )
  .chain((size) =>
    fc.integer({ min: 1, max: 1000 }).chain((minTasks) =>
      fc.record({
        cpu: fc.constant(size.cpu),
        memoryMb: fc.constant(size.memoryMb),
        minTasks: fc.constant(minTasks),
        maxTasks: fc.integer({ min: minTasks, max: 1000 }),
        targetRequestsPerTask: fc.integer({ min: 1, max: 100_000 }),
      }),
    ),
  );

/** A private block with a prefix of /16–/24 and no host bits. */
const cidr = fc
  .record({
    base: fc.constantFrom<[number, number, number]>([10, 0, 8], [172, 16, 12], [192, 168, 16]),
    prefix: fc.integer({ min: 16, max: 24 }),
    bits: fc.nat(),
  })
  .map(({ base, prefix, bits }) => {
    const [a, b, basePrefix] = base;
    const free = prefix - basePrefix; // network bits we may choose
    const start = (a * 2 ** 24 + b * 2 ** 16) / 2 ** (32 - prefix);
    const address = (start + (bits % 2 ** free)) * 2 ** (32 - prefix);
    const octets = [24, 16, 8, 0].map((s) => Math.floor(address / 2 ** s) % 256);
    return `${octets.join('.')}/${prefix}`;
  });

const shiftSteps = fc
  .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 6 })
  .map((steps) => [...steps.sort((x, y) => x - y), 100]);

// Lambda's pattern, [a-zA-Z][a-zA-Z0-9_]+, less the names Lambda and LambdaFlex reserve.
const envName = fc
  .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabc'), fc.stringMatching(/^[A-Za-z0-9_]{1,10}$/))
  .map(([first, rest]) => first + rest)
  .filter((name) => !/^(AWS_|LAMBDAFLEX_)/.test(name) && !['TZ', 'constructor'].includes(name));

const thresholds = fc
  .record({
    up: fc.integer({ min: 1, max: 10_000 }),
    downShare: fc.double({ min: 0, max: 0.99, noNaN: true }),
  })
  .map(({ up, downShare }) => ({
    scaleUp: { requestsPerSecond: up },
    scaleDown: { requestsPerSecond: Math.floor(up * downShare * 100) / 100 },
  }));

const validSpec = fc.record(
  {
    stack: stackName,
    image,
    mode: fc.constantFrom('auto', 'lambda', 'fargate'),
    port: fc.integer({ min: 1, max: 65535 }),
    environment: fc.dictionary(envName, fc.string({ maxLength: 20 }), { maxKeys: 5 }),
    lambda: fc.record(
      {
        memoryMb: fc.integer({ min: 128, max: 10240 }),
        timeoutSeconds: fc.integer({ min: 1, max: 900 }),
        reservedConcurrency: fc.integer({ min: 1, max: 1000 }),
      },
      { requiredKeys: [] },
    ),
    fargate,
    thresholds,
    network: fc.record({ cidr }),
    traffic: fc.record({ shiftSteps, stepSeconds: fc.integer({ min: 0, max: 3600 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['stack', 'image'] },
);

describe('validateSpec properties', () => {
  it('accepts every generated valid spec, without changing it, and is idempotent', () => {
    fc.assert(
      fc.property(validSpec, (doc) => {
        const before = structuredClone(doc);
        const first = validateSpec(doc);
        expect(first).toMatchObject({ ok: true });
        expect(doc).toEqual(before);
        if (!first.ok) return;
        expect(validateSpec(first.spec)).toEqual(first);
        const inEffect = completeThresholds(first.spec.thresholds, first.spec);
        expect(inEffect.scaleDown.requestsPerSecond).toBeLessThan(inEffect.scaleUp.requestsPerSecond);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, and every error has a path and a message, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          validSpec.map((s) => ({ ...s, port: 'x' })),
        ),
        (doc) => {
          const result = validateSpec(doc);
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const e of result.errors) {
              expect(typeof e.path).toBe('string');
              expect(e.message.length).toBeGreaterThan(0);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects any Fargate memory the table does not allow for the cpu', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(256, 512, 1024, 2048, 4096, 8192, 16384),
        fc.integer({ min: 512, max: 122880 }),
        (cpu, memoryMb) => {
          const result = validateSpec({ stack: 'abc', image: 'app', fargate: { cpu, memoryMb } });
          expect(result.ok).toBe(allowedFargateMemory(cpu).includes(memoryMb));
        },
      ),
    );
  });
});

describe('names properties', () => {
  const ALB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

  it('stay within AWS limits, are deterministic and distinct per component', () => {
    fc.assert(
      fc.property(stackName, (stack) => {
        const n = names(stack);
        expect(names(stack)).toEqual(n);
        expect(n.loadBalancer.length).toBeLessThanOrEqual(NAME_LIMITS.alb);
        expect(n.targetGroup.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroup);
        expect(n.loadBalancer).toMatch(ALB_NAME);
        expect(n.targetGroup).toMatch(ALB_NAME);
        expect(n.lambdaFunction.length).toBeLessThanOrEqual(NAME_LIMITS.lambdaFunction);
        expect(n.executionRole.length).toBeLessThanOrEqual(NAME_LIMITS.iamRole);
        expect(n.lambdaRole.length).toBeLessThanOrEqual(NAME_LIMITS.iamRole);
        expect(n.api.length).toBeLessThanOrEqual(NAME_LIMITS.httpApi);
        expect(new Set(Object.values(n)).size).toBe(Object.keys(COMPONENTS).length);
      }),
    );
  });

  it('cut any name to any limit, keeping it distinct from the other components', () => {
    fc.assert(
      fc.property(stackName, fc.integer({ min: 8, max: 64 }), (stack, limit) => {
        const all = Object.values(COMPONENTS).map((c) => resourceName(stack, c, limit));
        for (const name of all) {
          expect(name.length).toBeLessThanOrEqual(limit);
          expect(name).toMatch(ALB_NAME);
        }
        expect(new Set(all).size).toBe(all.length);
      }),
    );
  });
});
