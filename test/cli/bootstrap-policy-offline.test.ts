/**
 * `bootstrap --print-policy --account A --region R` prints the policy without calling AWS: no credentials,
 * no table, no Route 53. The hosted zones then come from --hosted-zone alone, each with its record names
 * (the zone's own name, which the default `*.<zone>` needs, would take a Route 53 call).
 */
import { runCli, tempFolder } from './run-cli';

const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

describe('bootstrap --print-policy with --account and --region', () => {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const name of [
      ...AWS_VARIABLES,
      'AWS_ENDPOINT_URL',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
    ]) {
      saved[name] = process.env[name];
    }
    for (const name of AWS_VARIABLES) delete process.env[name];
    // Any call would fail at once: no credentials anywhere, and an endpoint nobody listens on.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('prints the policy for that account and region without calling AWS, and says where zones come from', async () => {
    const result = await runCli(tempFolder(), [
      'bootstrap',
      '--print-policy',
      '--account',
      '123456789012',
      '--region',
      'eu-west-1',
      '--hosted-zone',
      'Z0123456789ABCDEFGHIJ=api.example.com',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('arn:aws:dynamodb:eu-west-1:123456789012:table/lambdaflex');
    expect(result.stdout).toContain('arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ');
    expect(result.stdout).toContain('api.example.com');
    expect(result.stdout).toMatch(/hosted zones .*--hosted-zone only/);
  });

  it('refuses a zone without record names offline, naming the option and what to add', async () => {
    const result = await runCli(tempFolder(), [
      'bootstrap',
      '--print-policy',
      '--account',
      '123456789012',
      '--region',
      'eu-west-1',
      '--hosted-zone',
      'Z0123456789ABCDEFGHIJ',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--hosted-zone Z0123456789ABCDEFGHIJ');
    expect(result.stderr).toMatch(/record names/);
    expect(result.stdout).not.toContain('"Statement"');
  });
});
