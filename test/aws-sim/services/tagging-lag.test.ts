/**
 * The simulated Tagging API's index lags behind the services (aws-sim/services/tagging-index.ts): a deleted
 * resource stays listed with its last tags, a new resource or new tags show only after a while, each as
 * the account is set (docs/aws-facts.md, "Resource Groups Tagging API index").
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-lambda';
import { GetResourcesCommand, GetTagKeysCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { createSimulatedAws } from '../../../aws-sim';
import {
  DEFAULT_TAGGING_INDEX_LAG,
  setTaggingIndexLag,
  type TaggingState,
} from '../../../aws-sim/services/tagging';

const DELETE_LAG = 10 * 60_000;
const CHANGE_LAG = 30_000;
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:lf-a-function';

function account(lag: { afterDeleteMs?: number; afterChangeMs?: number } = {}) {
  const sim = createSimulatedAws({ seed: 5 });
  setTaggingIndexLag(sim.account, { afterDeleteMs: DELETE_LAG, afterChangeMs: CHANGE_LAG, ...lag });
  return sim;
}

async function createFunction(sim: ReturnType<typeof account>, tags: Record<string, string>) {
  await sim.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'lf-a-function',
      Role: 'arn:aws:iam::123456789012:role/r',
      PackageType: 'Image',
      Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/image:1' },
      Tags: tags,
    }),
  );
}

/** What GetResources lists with `stack`'s tag: ARN → its tags as a map. */
async function listed(sim: ReturnType<typeof account>, stack = 'a') {
  const out = await sim.clients.tagging.send(
    new GetResourcesCommand({ TagFilters: [{ Key: 'lambdaflex:stack', Values: [stack] }] }),
  );
  return Object.fromEntries(
    (out.ResourceTagMappingList ?? []).map((m) => [
      m.ResourceARN!,
      Object.fromEntries((m.Tags ?? []).map((t) => [t.Key!, t.Value!])),
    ]),
  );
}

describe('simulated Tagging API index lag', () => {
  it('has no lag unless the account is set so: an account lists what it holds at once', async () => {
    const sim = createSimulatedAws({ seed: 5 });
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    expect(Object.keys(await listed(sim))).toEqual([ARN]);
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-a-function' }));
    expect(await listed(sim)).toEqual({});
  });

  it('lists a new resource only once the change lag has passed since its create', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    expect(await listed(sim)).toEqual({});
    sim.account.advance(CHANGE_LAG - 1);
    expect(await listed(sim)).toEqual({});
    sim.account.advance(1);
    expect(await listed(sim)).toEqual({ [ARN]: { 'lambdaflex:stack': 'a' } });
  });

  it('keeps listing a deleted resource, with its last tags, until the delete lag has passed since the delete', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a', 'lambdaflex:nonce': 'n1' });
    sim.account.advance(CHANGE_LAG);
    // Deleted without anyone listing in between: the index dates the delete at the call, not at the listing.
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-a-function' }));
    sim.account.advance(DELETE_LAG - 1);
    expect(await listed(sim)).toEqual({ [ARN]: { 'lambdaflex:stack': 'a', 'lambdaflex:nonce': 'n1' } });
    // Asked by its ARN, it answers too.
    const byArn = await sim.clients.tagging.send(new GetResourcesCommand({ ResourceARNList: [ARN] }));
    expect(byArn.ResourceTagMappingList?.map((m) => m.ResourceARN)).toEqual([ARN]);
    sim.account.advance(1);
    expect(await listed(sim)).toEqual({});
    expect(sim.account.stateOf<TaggingState>('tagging').index).toEqual({});
  });

  it('dates a delete at its call even when the clock moved in many steps before anyone listed', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    sim.account.advance(CHANGE_LAG);
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-a-function' }));
    for (let i = 0; i < 10; i++) sim.account.advance(DELETE_LAG / 10);
    expect(await listed(sim)).toEqual({});
  });

  it('shows new tags only after the change lag: the old ones are listed and filtered on until then', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    sim.account.advance(CHANGE_LAG);
    await sim.clients.lambda.send(
      new TagResourceCommand({ Resource: ARN, Tags: { 'lambdaflex:stack': 'b' } }),
    );
    expect(Object.keys(await listed(sim, 'a'))).toEqual([ARN]);
    expect(await listed(sim, 'b')).toEqual({});
    sim.account.advance(CHANGE_LAG);
    expect(await listed(sim, 'a')).toEqual({});
    expect(Object.keys(await listed(sim, 'b'))).toEqual([ARN]);
  });

  it('keeps listing a resource whose tags were all removed, as it had them, for the delete lag', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    sim.account.advance(CHANGE_LAG);
    await sim.clients.lambda.send(new UntagResourceCommand({ Resource: ARN, TagKeys: ['lambdaflex:stack'] }));
    sim.account.advance(DELETE_LAG - 1);
    expect(Object.keys(await listed(sim))).toEqual([ARN]);
    sim.account.advance(1);
    expect(await listed(sim)).toEqual({});
  });

  it('lists a resource deleted and made again under the same ARN with its old tags until the new ones show', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a', 'lambdaflex:nonce': 'old' });
    sim.account.advance(CHANGE_LAG);
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-a-function' }));
    sim.account.advance(5_000);
    await createFunction(sim, { 'lambdaflex:stack': 'a', 'lambdaflex:nonce': 'new' });
    expect((await listed(sim))[ARN]?.['lambdaflex:nonce']).toBe('old');
    sim.account.advance(CHANGE_LAG);
    expect((await listed(sim))[ARN]?.['lambdaflex:nonce']).toBe('new');
  });

  it('lists a resource made and deleted at once from the change lag after its create to the delete lag after its delete', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    sim.account.advance(1_000);
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-a-function' }));
    expect(await listed(sim)).toEqual({});
    sim.account.advance(CHANGE_LAG - 1_000);
    expect(Object.keys(await listed(sim))).toEqual([ARN]);
    sim.account.advance(DELETE_LAG - CHANGE_LAG + 1_000);
    expect(await listed(sim)).toEqual({});
  });

  it('answers GetTagKeys from the index too', async () => {
    const sim = account();
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    expect((await sim.clients.tagging.send(new GetTagKeysCommand({}))).TagKeys).toEqual([]);
    sim.account.advance(CHANGE_LAG);
    expect((await sim.clients.tagging.send(new GetTagKeysCommand({}))).TagKeys).toEqual(['lambdaflex:stack']);
  });

  it('lists what the account held when the lag was turned on at once, and keeps the index in a saved account', async () => {
    const sim = createSimulatedAws({ seed: 5 });
    await createFunction(sim, { 'lambdaflex:stack': 'a' });
    setTaggingIndexLag(sim.account);
    expect(sim.account.stateOf<TaggingState>('tagging').lag).toEqual(DEFAULT_TAGGING_INDEX_LAG);
    expect(Object.keys(await listed(sim))).toEqual([ARN]);
    await sim.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: 'lf-a-function' }));
    const saved = sim.account.toJSON();
    const again = createSimulatedAws({ seed: 5 });
    again.account.restore(saved);
    again.account.advance(DEFAULT_TAGGING_INDEX_LAG.afterDeleteMs - 1);
    expect(Object.keys(await listed(again))).toEqual([ARN]);
    again.account.advance(1);
    expect(await listed(again)).toEqual({});
  });

  it.each([
    [{ afterDeleteMs: -1 }, 'afterDeleteMs'],
    [{ afterChangeMs: Number.NaN }, 'afterChangeMs'],
    [{ afterChangeMs: '60' as unknown as number }, 'afterChangeMs'],
  ])('refuses %p, naming the field, and changes nothing', (settings, field) => {
    const sim = account();
    const before = sim.account.stateOf<TaggingState>('tagging').lag;
    expect(() => setTaggingIndexLag(sim.account, settings)).toThrow(
      new RegExp(`${field}: must be a number of milliseconds ≥ 0`),
    );
    expect(sim.account.stateOf<TaggingState>('tagging').lag).toEqual(before);
  });
});
