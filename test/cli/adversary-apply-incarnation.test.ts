/**
 * `apply` against a record whose incarnation was edited by hand into none a write can name: the store
 * refuses every spec write at the very revision apply read (VersionConflictError, `unreadable`), and no
 * run of apply again will pass, so apply must not say to run it again; the store's message says why.
 */
import { DynamoStateStore } from '../../reconciler/state';
import { VersionConflictError } from '../../reconciler/state/types';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

const spec = (mode: string) => ({ stack: 'orders-api', image: IMAGE, mode });

afterEach(() => jest.restoreAllMocks());

describe('apply to a record whose incarnation is unreadable', () => {
  it('says what is wrong with the record, not to run apply again', async () => {
    const cwd = tempFolder();
    const file = writeFile(cwd, 's.json', spec('lambda'));
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
    writeFile(cwd, 's.json', spec('fargate'));
    // What the DynamoDB store answers for such a record (test/service/adversary-incarnation.test.ts).
    const refusal = new VersionConflictError('orders-api', 1, 1, {
      action: 'writing spec',
      counter: 'generation',
      incarnations: {},
    });
    expect(refusal.unreadable).toBe(true);
    jest.spyOn(DynamoStateStore.prototype, 'putSpec').mockRejectedValue(refusal);
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(refusal.message);
    expect(applied.stderr).toContain("the record's incarnation is not one");
    expect(applied.stderr).not.toContain('run apply again');
  });
});
