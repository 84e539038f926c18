import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import 'aws-sdk-client-mock-jest';
import { listStackInventory, tryListStackInventory } from '../../../reconciler/aws/stack-inventory';
import { testContext } from '../resources/fixtures';
import { mockTagging, taggingPage as page, TG_ARN, VPC_ARN } from './tagging-fixtures';

const tagging = mockTagging();

describe('listStackInventory', () => {
  it('asks for every ARN with the stack tag, 100 a page, following the token to the end, sorted', async () => {
    tagging
      .on(GetResourcesCommand)
      .resolvesOnce(page([VPC_ARN], 'next'))
      .resolvesOnce(page([TG_ARN]));
    const arns = await listStackInventory(testContext().clients, 'orders-api');
    expect(arns).toEqual([TG_ARN, VPC_ARN].sort());
    expect(tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 2);
    expect(tagging).toHaveReceivedNthCommandWith(1, GetResourcesCommand, {
      TagFilters: [{ Key: 'lambdaflex:stack', Values: ['orders-api'] }],
      ResourcesPerPage: 100,
    });
    expect(tagging).toHaveReceivedNthCommandWith(2, GetResourcesCommand, {
      TagFilters: [{ Key: 'lambdaflex:stack', Values: ['orders-api'] }],
      ResourcesPerPage: 100,
      PaginationToken: 'next',
    });
  });
});

describe('tryListStackInventory', () => {
  it('is undefined when AWS refuses the listing, so that the pass keeps no snapshot', async () => {
    tagging
      .on(GetResourcesCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $fault: 'client' }));
    await expect(tryListStackInventory(testContext().clients, 'orders-api')).resolves.toBeUndefined();
  });

  it('throws what is not an AWS answer', async () => {
    tagging.on(GetResourcesCommand).rejects(new TypeError('boom'));
    await expect(tryListStackInventory(testContext().clients, 'orders-api')).rejects.toThrow('boom');
  });
});
