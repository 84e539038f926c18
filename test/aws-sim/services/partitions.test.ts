/**
 * The simulated account in another partition answers as AWS does there: its ARNs start `arn:aws-cn:` (or
 * `arn:aws-us-gov:`), its host names end in `amazonaws.com.cn` in China, and an ARN of the wrong partition
 * names nothing.
 */
import { CreateApiCommand, TagResourceCommand } from '@aws-sdk/client-apigatewayv2';
import { AttachRolePolicyCommand, CreateRoleCommand, InvalidInputException } from '@aws-sdk/client-iam';
import { CreateVpcCommand } from '@aws-sdk/client-ec2';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import { createSimulatedAws } from '../../../aws-sim';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('the simulated account in the aws-cn partition', () => {
  const setup = () => createSimulatedAws({ region: 'cn-north-1' });

  it('makes ARNs and host names of its partition', async () => {
    const { clients } = setup();
    const api = await clients.apigatewayv2.send(
      new CreateApiCommand({ Name: 'a', ProtocolType: 'HTTP', Tags: { team: 'x' } }),
    );
    expect(api.ApiEndpoint).toBe(`https://${api.ApiId}.execute-api.cn-north-1.amazonaws.com.cn`);
    await clients.ec2.send(
      new CreateVpcCommand({
        CidrBlock: '10.0.0.0/16',
        TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'team', Value: 'x' }] }],
      }),
    );
    const listed = await clients.tagging.send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'team', Values: ['x'] }] }),
    );
    const arns = (listed.ResourceTagMappingList ?? []).map((m) => m.ResourceARN).sort();
    expect(arns).toEqual([
      `arn:aws-cn:apigateway:cn-north-1::/apis/${api.ApiId}`,
      expect.stringMatching(/^arn:aws-cn:ec2:cn-north-1:\d{12}:vpc\/vpc-/),
    ]);
  });

  it('finds nothing by an ARN of another partition', async () => {
    const { clients } = setup();
    const api = await clients.apigatewayv2.send(new CreateApiCommand({ Name: 'a', ProtocolType: 'HTTP' }));
    await expect(
      clients.apigatewayv2.send(
        new TagResourceCommand({
          ResourceArn: `arn:aws:apigateway:cn-north-1::/apis/${api.ApiId}`,
          Tags: { a: 'b' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('attaches AWS managed policies by their aws-cn ARN only', async () => {
    const { clients } = setup();
    await clients.iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
    const name = 'service-role/AWSLambdaBasicExecutionRole';
    await expect(
      clients.iam.send(
        new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: `arn:aws:iam::aws:policy/${name}` }),
      ),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await clients.iam.send(
      new AttachRolePolicyCommand({ RoleName: 'r', PolicyArn: `arn:aws-cn:iam::aws:policy/${name}` }),
    );
  });
});
