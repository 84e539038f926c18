/**
 * The account users run, `--local` (the CLI's `sim` account and the sandbox, which opens the same one),
 * has the Resource Groups Tagging API lag the services as AWS's does (docs/aws-facts.md, "Resource Groups
 * Tagging API index"): a new resource is listed only after a minute, a deleted one stays listed with its
 * tags for 20 minutes. Without it the local account would hide what the reconciler has to live with.
 */
import { mkdirSync } from 'node:fs';
import { CreateVpcCommand, DeleteVpcCommand } from '@aws-sdk/client-ec2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { openAws, simulatedAccountFile } from '../../cli/aws';
import { createSimulatedAws } from '../../aws-sim';
import { setTaggingIndexLag, type TaggingState } from '../../aws-sim/services/tagging';
import { localPath, LOCAL_REGION } from '../../cli/local';
import { tempFolder } from './run-cli';

const TAGS = [{ Key: 'lambdaflex:stack', Values: ['orders-api'] }];

describe('the --local simulated account’s Tagging API', () => {
  it('lists a new resource a minute after its create, and a deleted one for 20 minutes after', async () => {
    const aws = openAws({ local: true }, tempFolder());
    const listed = async () =>
      (
        (await aws.clients.tagging.send(new GetResourcesCommand({ TagFilters: TAGS })))
          .ResourceTagMappingList ?? []
      ).length;
    const vpc = await aws.clients.ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.0.0.0/16',
        TagSpecifications: [
          { ResourceType: 'vpc', Tags: [{ Key: 'lambdaflex:stack', Value: 'orders-api' }] },
        ],
      }),
    );
    expect(await listed()).toBe(0);
    await aws.wait(60_000);
    expect(await listed()).toBe(1);
    await aws.clients.ec2.send(new DeleteVpcCommand({ VpcId: vpc.Vpc!.VpcId! }));
    await aws.wait(20 * 60_000 - 1);
    expect(await listed()).toBe(1);
    await aws.wait(1);
    expect(await listed()).toBe(0);
  });

  it('turns the lag on for an account saved without one, and keeps the lag an account was saved with', () => {
    const saved = (lag?: { afterDeleteMs: number; afterChangeMs: number }) => {
      const cwd = tempFolder();
      mkdirSync(localPath(cwd, ''), { recursive: true });
      const { account } = createSimulatedAws({ region: LOCAL_REGION });
      if (lag) setTaggingIndexLag(account, lag);
      account.save(simulatedAccountFile(cwd));
      return openAws({ local: true }, cwd).account!.stateOf<TaggingState>('tagging').lag;
    };
    expect(saved()).toEqual({ afterDeleteMs: 20 * 60_000, afterChangeMs: 60_000 });
    expect(saved({ afterDeleteMs: 5_000, afterChangeMs: 0 })).toEqual({
      afterDeleteMs: 5_000,
      afterChangeMs: 0,
    });
  });
});
