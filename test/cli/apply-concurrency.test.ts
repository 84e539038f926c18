/**
 * `apply` writes conditional on the spec it compared with, not on the record's version: the reconciler
 * writes the status every pass, and that must not make an apply fail. Another spec write between apply's
 * read and its write must: the apply is refused and writes nothing. The racing write is made on the store
 * apply opened, just before apply's own write.
 */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStateStore } from '../../reconciler/state';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const spec = (mode: string) => ({ stack: 'orders-api', image: IMAGE, mode });

/** Runs `race` on apply's store once, just before apply's own putSpec. */
function raceBeforePutSpec(
  race: (store: DynamoStateStore, putSpec: DynamoStateStore['putSpec']) => Promise<unknown>,
) {
  const original = DynamoStateStore.prototype.putSpec;
  let raced = false;
  const spy = jest.spyOn(DynamoStateStore.prototype, 'putSpec').mockImplementation(async function (
    this: DynamoStateStore,
    ...args
  ) {
    if (!raced) {
      raced = true;
      await race(this, original.bind(this));
    }
    return original.apply(this, args);
  });
  return { spy, raced: () => raced };
}

afterEach(() => jest.restoreAllMocks());

describe('apply racing another write', () => {
  it('writes when a status write landed between its read and its write', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec('lambda'));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    writeFile(cwd, 's.json', spec('fargate'));
    const race = raceBeforePutSpec((store) =>
      store.writeStatus('orders-api', (r) => ({
        observedGeneration: r.generation,
        phase: 'Lambda',
        conditions: [],
        resources: {},
      })),
    );
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(race.raced()).toBe(true);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('stack orders-api updated (generation 2)');
    race.spy.mockRestore();
    const got = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
    expect(JSON.parse(got.stdout).spec).toMatchObject({ mode: 'fargate' });
  });

  it('is refused, writing nothing, when a spec write landed between its read and its write', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec('lambda'));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    writeFile(cwd, 's.json', spec('fargate'));
    const race = raceBeforePutSpec((_store, putSpec) => putSpec(spec('auto')));
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(race.raced()).toBe(true);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(
      'writing spec (orders-api): generation conflict (expected generation 1, found generation 2)',
    );
    expect(applied.stderr).toContain('someone changed the stack meanwhile');
    race.spy.mockRestore();
    const got = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
    expect(JSON.parse(got.stdout).spec).toMatchObject({ mode: 'auto' });
  });

  it('is refused, writing nothing, when the stack was deleted and created again between its read and its write', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec('lambda'));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    writeFile(cwd, 's.json', spec('fargate'));
    // Made again at generation 1, the generation apply read of the record that was.
    const race = raceBeforePutSpec(async (store, putSpec) => {
      await store.requestDelete('orders-api');
      await store.deleteRecord('orders-api');
      await putSpec(spec('auto'));
    });
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(race.raced()).toBe(true);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(
      /writing spec \(orders-api\): incarnation conflict \(expected generation 1 of incarnation [0-9a-f]{12}, found generation 1 of incarnation [0-9a-f]{12}\): the record found is not the one read; the stack was deleted and created again since/,
    );
    expect(applied.stderr).toContain('someone changed the stack meanwhile');
    race.spy.mockRestore();
    const got = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ generation: 1, spec: { mode: 'auto' } });
  });

  it('is refused naming the command with --local when a deletion mark was edited into no time between its read and its write', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec('lambda'));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    writeFile(cwd, 's.json', spec('fargate'));
    const race = raceBeforePutSpec((store) =>
      (store as unknown as { client: DynamoDBClient }).client.send(
        new UpdateItemCommand({
          TableName: store.tableName,
          Key: { stack: { S: 'orders-api' } },
          UpdateExpression: 'SET deletionRequestedAt = :v',
          ExpressionAttributeValues: { ':v': { NULL: true } },
        }),
      ),
    );
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(race.raced()).toBe(true);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(
      /^writing spec \(orders-api\): deletionRequestedAt: null is not a deletion request/,
    );
    expect(applied.stderr).toContain('`lambdaflex --local delete orders-api` requests its deletion');
    race.spy.mockRestore();
    const got = await runCli(cwd, ['--local', 'get', 'orders-api', '-o', 'json']);
    expect(JSON.parse(got.stdout).spec).toMatchObject({ mode: 'lambda' });
  });
});
