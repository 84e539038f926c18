/**
 * Without --local the CLI talks to whatever the SDK's own settings name. Here AWS_ENDPOINT_URL points at a
 * dynalite, standing in for LocalStack or AWS, which also shows that nothing else decides the endpoint.
 */
import { main } from '../../cli/main';
import { DynamoStateStore } from '../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const SETTINGS = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
let db: TestDynamo;
const saved: Partial<Record<(typeof SETTINGS)[number], string>> = {};

beforeAll(async () => {
  db = await startTestDynamo();
  for (const name of SETTINGS) saved[name] = process.env[name];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: db.endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});

afterAll(async () => {
  for (const name of SETTINGS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await db.stop();
});

describe('lambdaflex with the SDK settings from the environment', () => {
  it('creates the table on apply and writes there', async () => {
    const cwd = tempFolder();
    // An image of the region AWS_REGION names: Lambda runs no other.
    const image = IMAGE.replace('us-east-1', 'eu-west-1');
    const file = writeFile(cwd, 'x.json', { stack: 'orders-api', image });
    const result = await runCli(cwd, ['--table', 'from-env', 'apply', '-f', file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^stack orders-api created \(generation 1\)\n/m);
    const store = new DynamoStateStore({ client: db.client, tableName: 'from-env' });
    expect(await store.get('orders-api')).toMatchObject({ generation: 1 });
  });

  it('reports a missing table instead of creating it on a read', async () => {
    const result = await runCli(tempFolder(), ['--table', 'absent', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'listing stacks (table absent): table absent does not exist\n' +
        'install the table in this region with `lambdaflex bootstrap`, or name the one you use with --table and --region\n',
    );
  });
});

describe('main', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('sets process.exitCode', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(['node', 'lambdaflex', '--table', 'absent', 'get', 'orders-api']);
    expect(process.exitCode).toBe(1);
    expect(stderr).toHaveBeenCalledWith('reading stack (orders-api): table absent does not exist\n');
    expect(stderr).toHaveBeenCalledWith(
      'install the table in this region with `lambdaflex bootstrap`, or name the one you use with --table and --region\n',
    );
    stderr.mockRestore();
  });
});
