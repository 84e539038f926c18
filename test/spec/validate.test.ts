import { formatSpecErrors, validateSpec, type SpecError } from '../../spec';
import { MINIMAL, exampleSpec, withValue } from './fixtures';

function errorsOf(doc: unknown): SpecError[] {
  const result = validateSpec(doc);
  if (result.ok) throw new Error(`expected errors, got a valid spec for ${JSON.stringify(doc)}`);
  return result.errors;
}

describe('validateSpec', () => {
  it('accepts the example document and returns it unchanged', () => {
    const result = validateSpec(exampleSpec());
    expect(result).toEqual({ ok: true, spec: exampleSpec() });
  });

  it('accepts a document with only stack and image, and fills in every default (rates are computed where used)', () => {
    const result = validateSpec(MINIMAL);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec).toEqual({
      ...MINIMAL,
      mode: 'auto',
      port: 8080,
      healthCheckPath: '/health',
      environment: {},
      lambda: { memoryMb: 512, timeoutSeconds: 29 },
      fargate: { cpu: 256, memoryMb: 512, minTasks: 1, maxTasks: 10, targetRequestsPerTask: 100 },
      thresholds: {
        scaleUp: { forMinutes: 3, lambdaConcurrencyPercent: 80 },
        scaleDown: { forMinutes: 15 },
        cooldownMinutes: 10,
      },
      network: { cidr: '10.42.0.0/16' },
      traffic: { shiftSteps: [10, 50, 100], stepSeconds: 60 },
    });
    expect(result.spec).not.toHaveProperty('dns');
    expect(result.spec.lambda).not.toHaveProperty('reservedConcurrency');
  });

  it('fills in the defaults inside a partly given object', () => {
    const result = validateSpec({ ...MINIMAL, fargate: { cpu: 1024, memoryMb: 2048 }, dns: exampleDns() });
    expect(result.ok && result.spec.fargate).toEqual({
      cpu: 1024,
      memoryMb: 2048,
      minTasks: 1,
      maxTasks: 10,
      targetRequestsPerTask: 100,
    });
    expect(result.ok && result.spec.dns?.ttlSeconds).toBe(60);
  });

  it('never changes the object it is given', () => {
    const input = { ...MINIMAL, fargate: { cpu: 512, memoryMb: 1024 }, thresholds: { scaleUp: {} } };
    const before = structuredClone(input);
    validateSpec(input);
    expect(input).toEqual(before);
    const invalid = { ...MINIMAL, port: 0, lambda: {} };
    validateSpec(invalid);
    expect(invalid).toEqual({ ...MINIMAL, port: 0, lambda: {} });
  });

  it('returns a spec that shares nothing with the input', () => {
    const input = exampleSpec();
    const result = validateSpec(input);
    if (!result.ok) throw new Error('expected valid');
    result.spec.traffic.shiftSteps.push(1);
    expect((input.traffic as { shiftSteps: number[] }).shiftSteps).toEqual([10, 50, 100]);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'stack: orders-api'],
  ])('rejects %s as the document', (_, doc) => {
    expect(errorsOf(doc)).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('rejects something that is not JSON data, without throwing', () => {
    expect(errorsOf({ ...MINIMAL, port: () => 8080 })[0]).toEqual({
      path: '',
      message: expect.stringMatching(/JSON document/),
    });
  });

  describe('required fields', () => {
    it.each(['stack', 'image'])('requires %s', (field) => {
      const doc: Record<string, unknown> = { ...MINIMAL };
      delete doc[field];
      expect(errorsOf(doc)).toEqual([{ path: field, message: 'is required' }]);
    });

    it('requires hostedZoneId, recordName and certificateArn when dns is given', () => {
      expect(errorsOf({ ...MINIMAL, dns: {} })).toEqual([
        { path: 'dns.hostedZoneId', message: 'is required' },
        { path: 'dns.recordName', message: 'is required' },
        { path: 'dns.certificateArn', message: expect.stringMatching(/^is required: /) },
      ]);
    });

    it('refuses dns without a certificate, saying why: the API would not answer for the name', () => {
      const { certificateArn: _none, ...withoutCertificate } = exampleDns();
      expect(errorsOf({ ...MINIMAL, dns: withoutCertificate })).toEqual([
        {
          path: 'dns.certificateArn',
          message:
            "is required: API Gateway serves a custom domain name only over HTTPS, with an ACM certificate for dns.recordName in the stack's region; without one the name could only point at the API's own execute-api host, which answers for no other name",
        },
      ]);
    });
  });

  describe('unknown fields', () => {
    it('rejects a typo at the top level, naming the field and suggesting the right one', () => {
      const doc = { ...exampleSpec(), tresholds: {} };
      expect(errorsOf(doc)).toEqual([
        { path: 'tresholds', message: "unknown field 'tresholds' (did you mean 'thresholds'?)" },
      ]);
    });

    it.each([
      ['lambda.memory', 'lambda'],
      ['fargate.maxTask', 'fargate'],
      ['thresholds.scaleUp.rps', 'thresholds.scaleUp'],
      ['thresholds.scaleDown.forMinute', 'thresholds.scaleDown'],
      ['thresholds.cooldown', 'thresholds'],
      ['network.cidrBlock', 'network'],
      ['dns.ttl', 'dns'],
      ['traffic.steps', 'traffic'],
    ])('rejects the nested unknown field %s', (path) => {
      const errors = errorsOf(withValue(exampleSpec(), path, 1));
      const name = path.split('.').pop();
      expect(errors).toEqual([
        { path, message: expect.stringMatching(new RegExp(`^unknown field '${name}'`)) },
      ]);
    });

    it('lists every unknown field, not only the first', () => {
      const errors = errorsOf({ ...MINIMAL, foo: 1, bar: 2, lambda: { baz: 3 } });
      expect(errors.map((e) => e.path).sort()).toEqual(['bar', 'foo', 'lambda.baz']);
    });
  });

  describe('types', () => {
    it.each([
      ['stack', 42, 'must be a string'],
      ['port', '8080', 'must be an integer'],
      ['port', 80.5, 'must be an integer'],
      ['environment', ['A=1'], 'must be an object'],
      ['environment.LOG_LEVEL', 3, 'must be a string'],
      ['lambda', 'big', 'must be an object'],
      ['lambda.memoryMb', null, 'must be an integer'],
      ['fargate.cpu', '256', 'must be an integer'],
      ['thresholds.scaleUp.requestsPerSecond', 'ten', 'must be a number'],
      ['traffic.shiftSteps', 100, 'must be an array'],
      ['traffic.shiftSteps.1', '50', 'must be an integer'],
      ['dns.ttlSeconds', true, 'must be an integer'],
    ])('%s = %j: %s', (path, value, message) => {
      expect(errorsOf(withValue(exampleSpec(), path, value))).toEqual([{ path, message }]);
    });
  });

  it('reports every problem of a document at once', () => {
    const doc = {
      stack: 'X',
      image: 'not an image',
      port: 0,
      fargate: { cpu: 256, memoryMb: 4096, minTasks: 5, maxTasks: 2 },
      environment: { AWS_REGION: 'eu-west-1' },
    };
    expect(formatSpecErrors(errorsOf(doc)).sort()).toEqual(
      [
        'environment.AWS_REGION: is reserved by AWS Lambda and cannot be set',
        'fargate.maxTasks: must be at least fargate.minTasks (5)',
        "fargate.memoryMb: must be one of 512, 1024, 2048 for fargate.cpu 256 (Fargate's allowed cpu/memory combinations)",
        'image: must be a container image reference such as registry/repository:tag or repository@sha256:<64 hex digits>',
        'port: must be at least 1',
        'stack: must be at least 3 characters long',
        'stack: must be lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      ].sort(),
    );
  });
});

function exampleDns(): Record<string, unknown> {
  return {
    hostedZoneId: 'Z123',
    recordName: 'api.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f3c1a2b',
  };
}
