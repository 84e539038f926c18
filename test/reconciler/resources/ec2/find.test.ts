import {
  collectPages,
  findObserved,
  findOwned,
  ownershipFilters,
  tagRecord,
} from '../../../../reconciler/resources/ec2/find';
import { ec2TagRecord, ec2TagSpecifications } from '../../../../reconciler/resources/ec2/tags';
import { awsError } from '../fixtures';
import type { ResourceContext } from '../../../../reconciler/resources/types';

const ERRORS = { notFound: ['InvalidVpcID.NotFound'], retryable: [], terminal: [] };
const OWNED = [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: 'vpc' },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];

interface Item {
  id?: string;
  tags?: { Key?: string; Value?: string }[];
}

function finder(pages: (Item[] | Error)[]) {
  const tokens: (string | undefined)[] = [];
  let index = 0;
  const describePage = async (_filters: unknown, token?: string) => {
    tokens.push(token);
    const page = pages[index++];
    if (page instanceof Error) throw page;
    return { items: page, nextToken: index < pages.length ? `t${index}` : undefined };
  };
  return { tokens, describePage };
}

function find(pages: (Item[] | Error)[]) {
  const { describePage } = finder(pages);
  return findOwned<Item>({
    stack: 'orders-api',
    component: 'vpc',
    errors: ERRORS,
    describePage,
    idOf: (item) => item.id,
    tagsOf: (item) => item.tags,
  });
}

describe('ec2 find', () => {
  it('filters on the stack and component tags', () => {
    expect(ownershipFilters('s', 'subnet-a')).toEqual([
      { Name: 'tag:lambdaflex:stack', Values: ['s'] },
      { Name: 'tag:lambdaflex:component', Values: ['subnet-a'] },
    ]);
  });

  it('turns a tag list into a record, dropping keyless entries', () => {
    expect(tagRecord([{ Key: 'a', Value: '1' }, { Value: 'lost' }, { Key: 'b' }])).toEqual({ a: '1', b: '' });
    expect(tagRecord(undefined)).toEqual({});
  });

  it('follows NextToken until there is none, and stops on an empty token', async () => {
    const { tokens, describePage } = finder([[{ id: '1' }], [], [{ id: '3' }]]);
    const items = await collectPages((token) => describePage(undefined, token));
    expect(items).toEqual([{ id: '1' }, { id: '3' }]);
    expect(tokens).toEqual([undefined, 't1', 't2']);
    expect(await collectPages(async () => ({ items: [{ id: 'x' }], nextToken: '' }))).toEqual([{ id: 'x' }]);
  });

  it('answers undefined for no match and for a not-found answer', async () => {
    expect(await find([[]])).toBeUndefined();
    expect(await find([awsError('InvalidVpcID.NotFound')])).toBeUndefined();
  });

  it('rethrows any other error', async () => {
    const error = awsError('UnauthorizedOperation');
    await expect(find([error])).rejects.toBe(error);
  });

  it('keeps only resources managed by lambdaflex and picks the lowest id across pages', async () => {
    const match = await find([
      [
        { id: 'vpc-3', tags: OWNED },
        { id: 'vpc-0', tags: OWNED.slice(0, 2) },
      ],
      [{ id: 'vpc-2', tags: OWNED }, { tags: OWNED }],
    ]);
    expect(match).toMatchObject({ id: 'vpc-2', duplicates: ['vpc-3'] });
    expect(match?.tags).toEqual({
      'lambdaflex:stack': 'orders-api',
      'lambdaflex:component': 'vpc',
      'lambdaflex:managed-by': 'lambdaflex',
    });
  });

  it('observes the recorded match first and the other tagged copies as its duplicates', async () => {
    const ctx = {
      spec: { stack: 'orders-api' },
      ownership: { isRecorded: (key: string, id: string) => key === 'vpc' && id === 'vpc-2' },
    } as unknown as ResourceContext;
    const { describePage } = finder([
      [
        { id: 'vpc-1', tags: OWNED },
        { id: 'vpc-2', tags: OWNED },
      ],
    ]);
    const describe = { describePage, idOf: (item: Item) => item.id, tagsOf: (item: Item) => item.tags };
    const observe = ({ id }: { id: string }) => ({
      key: 'vpc',
      type: 'AWS::EC2::VPC',
      id,
      tags: {},
      attributes: {},
      ready: true,
    });
    const found = await findObserved<Item>(ctx, 'vpc', ERRORS, describe, observe);
    expect(found).toEqual({ ...observe({ id: 'vpc-2' }), duplicates: [observe({ id: 'vpc-1' })] });
    const none = finder([[{ id: 'vpc-3' }]]);
    const empty = { ...describe, describePage: none.describePage };
    await expect(findObserved<Item>(ctx, 'vpc', ERRORS, empty, observe)).resolves.toBeUndefined();
  });

  it('tags at creation with the ownership tags and Name', () => {
    expect(ec2TagSpecifications('subnet', 'orders-api', 'subnet-a', 'lf-orders-api-subnet-a')).toEqual([
      {
        ResourceType: 'subnet',
        Tags: [
          { Key: 'lambdaflex:stack', Value: 'orders-api' },
          { Key: 'lambdaflex:component', Value: 'subnet-a' },
          { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
          { Key: 'Name', Value: 'lf-orders-api-subnet-a' },
        ],
      },
    ]);
    expect(ec2TagRecord('orders-api', 'igw', 'n')).toEqual({
      'lambdaflex:stack': 'orders-api',
      'lambdaflex:component': 'igw',
      'lambdaflex:managed-by': 'lambdaflex',
      Name: 'n',
    });
  });
});
