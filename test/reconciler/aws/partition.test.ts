import { arnOf, dnsSuffixOf, partitionOf } from '../../../reconciler/aws/partition';
import { awsManagedPolicyArn } from '../../../reconciler/resources/iam/policy-documents';
import { regionalDomainName } from '../../../reconciler/resources/apigateway/support';

describe('partitions', () => {
  it.each([
    ['us-east-1', 'aws', 'amazonaws.com'],
    ['ap-northeast-1', 'aws', 'amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['us-gov-east-1', 'aws-us-gov', 'amazonaws.com'],
  ])('%s is in %s, its endpoints end in %s', (region, partition, suffix) => {
    expect(partitionOf(region)).toBe(partition);
    expect(dnsSuffixOf(region)).toBe(suffix);
  });

  it('builds regional, account-less and global ARNs in the region’s partition', () => {
    expect(arnOf('cn-north-1', 'apigateway', '/apis/abc')).toBe(
      'arn:aws-cn:apigateway:cn-north-1::/apis/abc',
    );
    expect(arnOf('us-gov-west-1', 'ecs', 'cluster/x', { account: '123456789012' })).toBe(
      'arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/x',
    );
    expect(awsManagedPolicyArn('cn-northwest-1', 'AWSLambdaBasicExecutionRole')).toBe(
      'arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    );
    expect(regionalDomainName('abc', 'cn-north-1')).toBe('abc.execute-api.cn-north-1.amazonaws.com.cn');
  });
});
