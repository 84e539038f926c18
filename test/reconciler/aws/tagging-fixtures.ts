/** A mocked Resource Groups Tagging API and the answers the stack-inventory tests give it. */
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { mockClient } from 'aws-sdk-client-mock';

export const VPC_ARN = 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc';
export const TG_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/lf-orders-api-tg/1';

/** The mock, reset before each test of the file that calls this. */
export function mockTagging() {
  const tagging = mockClient(ResourceGroupsTaggingAPIClient);
  beforeEach(() => tagging.reset());
  return tagging;
}

/** One GetResources page; AWS answers an empty token on the last one. */
export function taggingPage(arns: string[], token = '') {
  return {
    ResourceTagMappingList: arns.map((ResourceARN) => ({ ResourceARN, Tags: [] })),
    PaginationToken: token,
  };
}
