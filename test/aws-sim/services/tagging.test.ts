import { CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { GetResourcesCommand, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import { createSimulatedAws } from '../../../aws-sim';
import { resourceTypeOfArn } from '../../../aws-sim/services/tagging';

async function twoStacks() {
  const sim = createSimulatedAws({ seed: 13 });
  for (const stack of ['a', 'b']) {
    await sim.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: `lf-${stack}-function`,
        Role: 'arn:aws:iam::123456789012:role/r',
        PackageType: 'Image',
        Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/image:1' },
        Tags: { 'lambdaflex:stack': stack, 'lambdaflex:component': 'function' },
      }),
    );
    await sim.clients.apigatewayv2.send(
      new CreateApiCommand({
        Name: `lf-${stack}-api`,
        ProtocolType: 'HTTP',
        Tags: { 'lambdaflex:stack': stack },
      }),
    );
    sim.account.advance(3_000); // CreateApi: one per 3 s
  }
  // An untagged function is never listed (GetResources returns tagged resources).
  await sim.clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'untagged',
      Role: 'r',
      PackageType: 'Image',
      Code: { ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1' },
    }),
  );
  return sim;
}

describe('simulated Resource Groups Tagging API', () => {
  it('finds a stack’s resources across services by tag (GetResources TagFilters)', async () => {
    const { clients } = await twoStacks();
    const out = await clients.tagging.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'lambdaflex:stack', Values: ['a'] }] }),
    );
    expect(out.ResourceTagMappingList?.map((r) => resourceTypeOfArn(r.ResourceARN!)).sort()).toEqual([
      'apigateway:apis',
      'lambda:function',
    ]);
    expect(out.PaginationToken).toBe('');
  });

  it('never lists IAM roles, tagged or not ("GetResources does not currently support IAM users and roles", Tagging API reference, supported services)', async () => {
    const { clients } = await twoStacks();
    await clients.iam.send(
      new CreateRoleCommand({
        RoleName: 'lf-a-execution-role',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        Tags: [{ Key: 'lambdaflex:stack', Value: 'a' }],
      }),
    );
    const out = await clients.tagging.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'lambdaflex:stack', Values: ['a'] }] }),
    );
    expect(out.ResourceTagMappingList?.map((r) => resourceTypeOfArn(r.ResourceARN!)).sort()).toEqual([
      'apigateway:apis',
      'lambda:function',
    ]);
  });

  it('ANDs filters, ORs values, and treats a filter without values as "has the key"', async () => {
    const { clients } = await twoStacks();
    const both = await clients.tagging.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'lambdaflex:stack', Values: ['a', 'b'] }] }),
    );
    expect(both.ResourceTagMappingList).toHaveLength(4);
    const functions = await clients.tagging.send(
      new GetResourcesCommand({
        TagFilters: [{ Key: 'lambdaflex:stack', Values: ['b'] }, { Key: 'lambdaflex:component' }],
      }),
    );
    expect(functions.ResourceTagMappingList?.map((r) => r.ResourceARN)).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:lf-b-function',
    ]);
    expect(functions.ResourceTagMappingList?.[0]?.Tags).toEqual(
      expect.arrayContaining([{ Key: 'lambdaflex:component', Value: 'function' }]),
    );
  });

  it('filters by resource type, service or service:type (ResourceTypeFilters)', async () => {
    const { clients } = await twoStacks();
    const lambdas = await clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['lambda'] }));
    expect(lambdas.ResourceTagMappingList).toHaveLength(2);
    const apis = await clients.tagging.send(
      new GetResourcesCommand({ ResourceTypeFilters: ['apigateway:apis'] }),
    );
    expect(apis.ResourceTagMappingList).toHaveLength(2);
    const none = await clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2:vpc'] }));
    expect(none.ResourceTagMappingList).toEqual([]);
  });

  it('pages with PaginationToken, which the SDK paginator follows to the end', async () => {
    const { clients } = await twoStacks();
    const pages = [];
    for await (const page of paginateGetResources({ client: clients.tagging, pageSize: 3 }, {}))
      pages.push(page);
    expect(pages.map((p) => p.ResourceTagMappingList?.length)).toEqual([3, 1]);
    await expect(
      clients.tagging.send(new GetResourcesCommand({ PaginationToken: 'bogus' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});
