/**
 * One failing case (or more) per rule of issue 2, each asserting the exact path and that the message
 * names the rule; and the boundary values that must still pass, so a rule can't be made too strict
 * without a test failing.
 */
import { validateSpec, type SpecError } from '../../spec';
import { exampleSpec, withValue } from './fixtures';

function errorsAfter(path: string, value: unknown): SpecError[] {
  const result = validateSpec(withValue(exampleSpec(), path, value));
  return result.ok ? [] : result.errors;
}

const ENUM_CPU = 'must be one of 256, 512, 1024, 2048, 4096, 8192, 16384';

// [rule, path set, value, path of the error, message pattern]
const failing: [string, string, unknown, string, RegExp][] = [
  ['stack: 3 characters at least', 'stack', 'ab', 'stack', /at least 3 characters/],
  ['stack: 24 characters at most', 'stack', 'a'.repeat(25), 'stack', /at most 24 characters/],
  ['stack: lowercase only', 'stack', 'Orders', 'stack', /lowercase letters, digits and hyphens/],
  ['stack: starts with a letter', 'stack', '1orders', 'stack', /starting with a letter/],
  ['stack: no trailing hyphen', 'stack', 'orders-', 'stack', /not ending with a hyphen/],
  ['stack: no underscore', 'stack', 'orders_api', 'stack', /lowercase letters, digits and hyphens/],
  ['image: a reference', 'image', 'orders api:1', 'image', /container image reference/],
  [
    'image: no uppercase repository',
    'image',
    'registry.example.com/Orders:1',
    'image',
    /container image reference/,
  ],
  ['image: digest is sha256 + 64 hex', 'image', 'repo@sha256:abc', 'image', /container image reference/],
  ['image: not empty', 'image', '', 'image', /container image reference/],
  ['mode: enum', 'mode', 'hybrid', 'mode', /^must be one of auto, lambda, fargate$/],
  ['port: at least 1', 'port', 0, 'port', /^must be at least 1$/],
  ['port: at most 65535', 'port', 65536, 'port', /^must be at most 65535$/],
  ['healthCheckPath: starts with /', 'healthCheckPath', 'health', 'healthCheckPath', /starting with '\/'/],
  ['lambda memory: at least 128', 'lambda.memoryMb', 127, 'lambda.memoryMb', /^must be at least 128$/],
  ['lambda memory: at most 10240', 'lambda.memoryMb', 10241, 'lambda.memoryMb', /^must be at most 10240$/],
  ['lambda timeout: at least 1', 'lambda.timeoutSeconds', 0, 'lambda.timeoutSeconds', /^must be at least 1$/],
  [
    'lambda timeout: at most 900',
    'lambda.timeoutSeconds',
    901,
    'lambda.timeoutSeconds',
    /^must be at most 900$/,
  ],
  [
    'reservedConcurrency: at least 1',
    'lambda.reservedConcurrency',
    0,
    'lambda.reservedConcurrency',
    /at least 1/,
  ],
  ['fargate cpu: enum', 'fargate.cpu', 300, 'fargate.cpu', new RegExp(`^${ENUM_CPU}$`)],
  [
    'fargate memory for cpu 256',
    'fargate',
    { cpu: 256, memoryMb: 4096 },
    'fargate.memoryMb',
    /one of 512, 1024, 2048 for fargate.cpu 256/,
  ],
  [
    'fargate memory for cpu 512',
    'fargate.memoryMb',
    5120,
    'fargate.memoryMb',
    /one of 1024, 2048, 3072, 4096/,
  ],
  [
    'fargate memory: not 1536 for cpu 256',
    'fargate',
    { cpu: 256, memoryMb: 1536 },
    'fargate.memoryMb',
    /one of/,
  ],
  ['fargate minTasks: at least 1', 'fargate.minTasks', 0, 'fargate.minTasks', /^must be at least 1$/],
  ['fargate maxTasks: at most 1000', 'fargate.maxTasks', 1001, 'fargate.maxTasks', /^must be at most 1000$/],
  [
    'fargate maxTasks >= minTasks',
    'fargate.minTasks',
    11,
    'fargate.maxTasks',
    /at least fargate.minTasks \(11\)/,
  ],
  [
    'targetRequestsPerTask >= 1',
    'fargate.targetRequestsPerTask',
    0,
    'fargate.targetRequestsPerTask',
    /least 1/,
  ],
  [
    'scale-down rps strictly below scale-up rps',
    'thresholds.scaleDown.requestsPerSecond',
    20,
    'thresholds.scaleDown.requestsPerSecond',
    /strictly below thresholds.scaleUp.requestsPerSecond \(20\)/,
  ],
  [
    'scale-up rps positive',
    'thresholds.scaleUp.requestsPerSecond',
    0,
    'thresholds.scaleUp.requestsPerSecond',
    /greater than 0/,
  ],
  [
    'scaleUp forMinutes >= 1',
    'thresholds.scaleUp.forMinutes',
    0,
    'thresholds.scaleUp.forMinutes',
    /at least 1/,
  ],
  [
    'scaleDown forMinutes >= 1',
    'thresholds.scaleDown.forMinutes',
    0,
    'thresholds.scaleDown.forMinutes',
    /at least 1/,
  ],
  [
    'concurrency % >= 1',
    'thresholds.scaleUp.lambdaConcurrencyPercent',
    0,
    'thresholds.scaleUp.lambdaConcurrencyPercent',
    /least 1$/,
  ],
  [
    'concurrency % <= 100',
    'thresholds.scaleUp.lambdaConcurrencyPercent',
    101,
    'thresholds.scaleUp.lambdaConcurrencyPercent',
    /most 100$/,
  ],
  [
    'cooldownMinutes >= 0',
    'thresholds.cooldownMinutes',
    -1,
    'thresholds.cooldownMinutes',
    /^must be at least 0$/,
  ],
  ['cidr: shape', 'network.cidr', '10.42.0.0', 'network.cidr', /IPv4 CIDR such as 10.42.0.0\/16/],
  ['cidr: octets up to 255', 'network.cidr', '10.256.0.0/16', 'network.cidr', /from 0 to 255/],
  ['cidr: private range', 'network.cidr', '8.8.0.0/16', 'network.cidr', /inside a private range/],
  [
    'cidr: 172.16/12 ends at 172.31',
    'network.cidr',
    '172.32.0.0/16',
    'network.cidr',
    /inside a private range/,
  ],
  ['cidr: prefix /16 at least', 'network.cidr', '10.0.0.0/8', 'network.cidr', /prefix from \/16 to \/24/],
  ['cidr: prefix /24 at most', 'network.cidr', '10.42.0.0/25', 'network.cidr', /prefix from \/16 to \/24/],
  [
    'cidr: no host bits',
    'network.cidr',
    '10.42.1.0/16',
    'network.cidr',
    /no bits set after .*10\.42\.0\.0\/16/,
  ],
  ['hostedZoneId: Z + uppercase', 'dns.hostedZoneId', 'z123', 'dns.hostedZoneId', /'Z' followed by 1 to 31/],
  [
    'hostedZoneId: at most 32',
    'dns.hostedZoneId',
    `Z${'A'.repeat(32)}`,
    'dns.hostedZoneId',
    /hosted zone id/,
  ],
  ['recordName: DNS name', 'dns.recordName', 'api..example.com', 'dns.recordName', /a DNS name/],
  [
    'recordName: label 63 at most',
    'dns.recordName',
    `${'a'.repeat(64)}.example.com`,
    'dns.recordName',
    /DNS name/,
  ],
  ['recordName: no leading hyphen', 'dns.recordName', '-api.example.com', 'dns.recordName', /DNS name/],
  ['ttlSeconds >= 10', 'dns.ttlSeconds', 9, 'dns.ttlSeconds', /^must be at least 10$/],
  ['ttlSeconds <= 3600', 'dns.ttlSeconds', 3601, 'dns.ttlSeconds', /^must be at most 3600$/],
  [
    'certificateArn: ACM ARN',
    'dns.certificateArn',
    'arn:aws:iam::123456789012:role/x',
    'dns.certificateArn',
    /ACM certificate ARN/,
  ],
  [
    'shiftSteps: increasing',
    'traffic.shiftSteps',
    [50, 10, 100],
    'traffic.shiftSteps.1',
    /strictly increasing/,
  ],
  [
    'shiftSteps: strictly',
    'traffic.shiftSteps',
    [10, 10, 100],
    'traffic.shiftSteps.1',
    /strictly increasing/,
  ],
  ['shiftSteps: end at 100', 'traffic.shiftSteps', [10, 50], 'traffic.shiftSteps.1', /must be 100/],
  ['shiftSteps: percentages', 'traffic.shiftSteps', [0, 100], 'traffic.shiftSteps.0', /^must be at least 1$/],
  [
    'shiftSteps: at most 100',
    'traffic.shiftSteps',
    [50, 150],
    'traffic.shiftSteps.1',
    /^must be at most 100$/,
  ],
  ['shiftSteps: not empty', 'traffic.shiftSteps', [], 'traffic.shiftSteps', /at least 1 item/],
  [
    'environment: valid name',
    'environment',
    { 'LOG-LEVEL': 'x' },
    'environment.LOG-LEVEL',
    /valid environment variable name/,
  ],
  [
    'environment: no leading digit',
    'environment',
    { '9LIVES': 'x' },
    'environment.9LIVES',
    /not starting with a digit/,
  ],
  [
    'environment: AWS_* reserved',
    'environment',
    { AWS_REGION: 'x' },
    'environment.AWS_REGION',
    /reserved by AWS Lambda/,
  ],
  [
    'environment: AWS_LAMBDA_*',
    'environment',
    { AWS_LAMBDA_FUNCTION_NAME: 'x' },
    'environment.AWS_LAMBDA_FUNCTION_NAME',
    /reserved/,
  ],
  [
    'environment: _HANDLER reserved',
    'environment',
    { _HANDLER: 'x' },
    'environment._HANDLER',
    /reserved by AWS Lambda/,
  ],
  [
    'environment: _X_AMZN_TRACE_ID',
    'environment',
    { _X_AMZN_TRACE_ID: 'x' },
    'environment._X_AMZN_TRACE_ID',
    /reserved/,
  ],
  [
    'environment: LAMBDA_TASK_ROOT',
    'environment',
    { LAMBDA_TASK_ROOT: 'x' },
    'environment.LAMBDA_TASK_ROOT',
    /reserved/,
  ],
  ['environment: TZ', 'environment', { TZ: 'Europe/Paris' }, 'environment.TZ', /reserved by AWS Lambda/],
  [
    'environment: 4 KB in total',
    'environment',
    { BIG: 'x'.repeat(4094) },
    'environment',
    /at most 4096 bytes/,
  ],
];

describe('the rules of issue 2', () => {
  it.each(failing)('%s', (_rule, path, value, errorPath, message) => {
    const errors = errorsAfter(path, value);
    expect(errors).toEqual([{ path: errorPath, message: expect.stringMatching(message) }]);
  });

  const passing: [string, string, unknown][] = [
    ['stack of 3 characters', 'stack', 'a-1'],
    ['stack of 24 characters', 'stack', `a${'b'.repeat(22)}9`],
    ['Docker Hub short image', 'image', 'nginx'],
    ['image with registry port and digest', 'image', `localhost:5000/team/app:v1@sha256:${'a'.repeat(64)}`],
    ['public ECR image', 'image', 'public.ecr.aws/lambda/nodejs:20'],
    ['mode fargate', 'mode', 'fargate'],
    ['port 1', 'port', 1],
    ['port 65535', 'port', 65535],
    ['lambda 128 MB / 900 s', 'lambda', { memoryMb: 128, timeoutSeconds: 900 }],
    ['lambda 10240 MB / 1 s', 'lambda', { memoryMb: 10240, timeoutSeconds: 1 }],
    ['cpu 256 / 2048', 'fargate', { cpu: 256, memoryMb: 2048 }],
    ['cpu 1024 / 8192', 'fargate', { cpu: 1024, memoryMb: 8192 }],
    ['cpu 2048 / 9216', 'fargate', { cpu: 2048, memoryMb: 9216 }],
    ['cpu 4096 / 30720', 'fargate', { cpu: 4096, memoryMb: 30720 }],
    ['cpu 8192 / 20480', 'fargate', { cpu: 8192, memoryMb: 20480 }],
    ['cpu 16384 / 122880', 'fargate', { cpu: 16384, memoryMb: 122880 }],
    ['minTasks = maxTasks = 1000', 'fargate', { cpu: 256, memoryMb: 512, minTasks: 1000, maxTasks: 1000 }],
    ['scale-down 0', 'thresholds.scaleDown.requestsPerSecond', 0],
    ['scale-down just below scale-up', 'thresholds.scaleDown.requestsPerSecond', 19.5],
    ['cooldown 0', 'thresholds.cooldownMinutes', 0],
    ['concurrency 100 %', 'thresholds.scaleUp.lambdaConcurrencyPercent', 100],
    ['cidr 172.31.0.0/16', 'network.cidr', '172.31.0.0/16'],
    ['cidr 192.168.10.0/24', 'network.cidr', '192.168.10.0/24'],
    ['hostedZoneId of 32 characters', 'dns.hostedZoneId', `Z${'A'.repeat(31)}`],
    ['recordName with trailing dot', 'dns.recordName', 'api.example.com.'],
    ['ttl 10', 'dns.ttlSeconds', 10],
    ['ttl 3600', 'dns.ttlSeconds', 3600],
    ['dns without certificate', 'dns', { hostedZoneId: 'Z1', recordName: 'api.example.com' }],
    ['single shift step', 'traffic.shiftSteps', [100]],
    ['lowercase environment name', 'environment', { _private: 'x', node_env: 'y', LAMBDA_X: 'z' }],
    ['environment value with anything', 'environment', { JSON: '{"a": [1, 2]}' }],
  ];

  it.each(passing)('accepts %s', (_case, path, value) => {
    expect(errorsAfter(path, value)).toEqual([]);
  });
});
