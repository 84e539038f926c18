/**
 * A stack driven through the `--local` account with the Tagging API lagging as AWS's does (a deleted
 * resource listed 20 minutes with its tags, a new one from a minute on): up to Fargate, back to Lambda,
 * up again and deleted, each `reconcile --until-settled` ends settled (exit 0), and the deletion is not
 * held by the index: the record is gone while the index still lists the stack's deleted resources.
 */
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { openAws } from '../../cli/aws';
import { IMAGE, runCli, tempFolder, writeFile } from './run-cli';

jest.setTimeout(120_000);

describe('lambdaflex --local with the Tagging API lagging', () => {
  it('settles each move of a stack, and deletes it without waiting for the index', async () => {
    const cwd = tempFolder();
    const moves = ['fargate', 'lambda', 'fargate'];
    for (const mode of moves) {
      const file = writeFile(cwd, 'stack.json', { stack: 'orders-api', image: IMAGE, mode });
      expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
      const settled = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
      expect([settled.code, settled.stderr]).toEqual([0, '']);
      expect(settled.stdout).toMatch(
        new RegExp(`phase ${mode === 'fargate' ? 'Fargate' : 'Lambda'} \\(settled\\)`),
      );
    }
    expect((await runCli(cwd, ['--local', 'delete', 'orders-api'])).code).toBe(0);
    const deleted = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
    expect([deleted.code, deleted.stderr]).toEqual([0, '']);
    expect(deleted.stdout).toMatch(/deleted: its resources and then its record are gone/);

    const aws = openAws({ local: true }, cwd);
    expect(aws.account!.inventory().filter((item) => item.tags['lambdaflex:stack'] === 'orders-api')).toEqual(
      [],
    );
    // The index still lists what the deletion removed: the deletion did not wait for it to forget.
    const listed = await aws.clients.tagging.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'lambdaflex:stack', Values: ['orders-api'] }] }),
    );
    expect(listed.ResourceTagMappingList?.length).toBeGreaterThan(0);
  });
});
