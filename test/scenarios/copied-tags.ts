/** Someone else's VPC carrying copies of the stack's ownership tags, as a hand in the console would make it. */
import { CreateVpcCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { STACK } from './harness';

/** Makes the VPC with `ec2` in `cidr`, with the stack's three ownership tags, and the `nonce` tag when given. */
export async function vpcWithCopiedTags(ec2: EC2Client, cidr: string, nonce?: string): Promise<string> {
  const made = await ec2.send(
    new CreateVpcCommand({
      CidrBlock: cidr,
      TagSpecifications: [
        {
          ResourceType: 'vpc',
          Tags: [
            { Key: 'lambdaflex:stack', Value: STACK },
            { Key: 'lambdaflex:component', Value: 'vpc' },
            { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
            ...(nonce === undefined ? [] : [{ Key: 'lambdaflex:nonce', Value: nonce }]),
          ],
        },
      ],
    }),
  );
  return made.Vpc!.VpcId!;
}
