/**
 * adversary: the stack's own code (the user's routes run in the same image, with the function's role)
 * writing its stack's record past the service: not the spec, which the reconciler validates, but the
 * reconciler's private fields. IAM cannot hold a request to the ConditionExpression the service sends,
 * so the grant is what limits the attributes, or nothing does.
 *
 * Erasing `bookkeeping.owned` reads as a stack from before ownership, whose next full observation
 * adopts every resource carrying the stack's tags (another installation's stack of the same name in
 * another table, or a copy) and deletes what its spec does not want; a `lease` far in the future stops
 * its reconciliation, rollbacks included. The defence (reconciler/iam/stack-role-policies.ts): the role
 * may GetItem its item and UpdateItem only the spec's attributes (dynamodb:Attributes, the key included,
 * ForAllValues); no PutItem, which replaces the whole item whatever attributes it names, so the service
 * creates a record with an UpdateItem (reconciler/state/dynamo-store.ts).
 *
 * `incarnation` stays writable (the create sets it): changing it only makes the stack's own writers see a
 * conflict; a record whose incarnation is removed still has the `bookkeeping.owned` the role cannot touch.
 */
import { arn } from '../../../reconciler/iam/arns';
import { stackBoundaryPolicy, stackTablePolicy } from '../../../reconciler/iam/stack-role-policies';
import { ACCOUNT, policyContext, REGION } from './installation';
import { evaluate, type PolicySet } from './simulate';

const context = policyContext();
const webFunction: PolicySet = {
  identity: [{ name: 'table', policy: stackTablePolicy(context) }],
  boundary: stackBoundaryPolicy(context),
  account: ACCOUNT,
  principal: `arn:aws:sts::${ACCOUNT}:assumed-role/lf-web-lambda-role-${REGION}/web`,
};
const TABLE_ARN = arn.table(context, context.tableName);
const asWeb = (attributes: string[]) => ({
  'aws:PrincipalTag/lambdaflex:stack': 'web',
  'dynamodb:LeadingKeys': 'web',
  'dynamodb:Attributes': attributes,
});

describe('adversary: the stack role writing its own record past the service', () => {
  it('may replace the spec (what the service does)', async () => {
    const verdict = await evaluate(webFunction, {
      action: 'dynamodb:UpdateItem',
      resource: TABLE_ARN,
      context: asWeb(['spec', 'generation', 'version']),
    });
    expect(verdict.result).toBe('Allowed');
  });

  it.each([
    ['create (UpdateItem, attribute_not_exists)', ['stack', 'spec', 'generation', 'incarnation', 'version']],
    ['spec replace', ['stack', 'spec', 'generation', 'version']],
  ])('may write the spec’s attributes: %s', async (_name, attributes) => {
    const verdict = await evaluate(webFunction, {
      action: 'dynamodb:UpdateItem',
      resource: TABLE_ARN,
      context: asWeb(attributes),
    });
    expect(verdict.result).toBe('Allowed');
  });

  it.each([['bookkeeping'], ['status'], ['lease'], ['events'], ['deletionRequestedAt']])(
    'UpdateItem of its own item’s %s is denied, alone or among the spec’s attributes',
    async (field) => {
      for (const attributes of [
        [field],
        ['stack', field],
        ['stack', 'spec', 'generation', 'version', field],
      ]) {
        const verdict = await evaluate(webFunction, {
          action: 'dynamodb:UpdateItem',
          resource: TABLE_ARN,
          context: asWeb(attributes),
        });
        expect({ attributes, result: verdict.result }).toEqual({ attributes, result: 'ImplicitlyDenied' });
      }
    },
  );

  it('UpdateItem naming no attribute at all is denied (ForAllValues holds on an absent key: Null says it must be there)', async () => {
    const { 'dynamodb:Attributes': _none, ...withoutAttributes } = asWeb([]);
    const verdict = await evaluate(webFunction, {
      action: 'dynamodb:UpdateItem',
      resource: TABLE_ARN,
      context: withoutAttributes,
    });
    expect(verdict.result).toBe('ImplicitlyDenied');
  });

  it('PutItem of its own item is denied, even naming only the spec’s attributes (it replaces the whole item)', async () => {
    const verdict = await evaluate(webFunction, {
      action: 'dynamodb:PutItem',
      resource: TABLE_ARN,
      context: asWeb(['stack', 'spec', 'generation', 'incarnation', 'version']),
    });
    expect(verdict.result).toBe('ImplicitlyDenied');
  });

  it('GetItem of its own item stays allowed, whatever attributes it reads (/stack-status shows the status)', async () => {
    const verdict = await evaluate(webFunction, {
      action: 'dynamodb:GetItem',
      resource: TABLE_ARN,
      context: asWeb(['stack', 'spec', 'status', 'bookkeeping']),
    });
    expect(verdict.result).toBe('Allowed');
  });
});

/**
 * The evaluator (simulate.ts) must read dynamodb:Attributes as AWS does: a multivalued key, each of whose
 * values `ForAllValues` tests, true on a request without the key (hence the grant's Null condition), and
 * `ForAnyValue` true when one value matches.
 */
describe('the evaluator reads dynamodb:Attributes as AWS does', () => {
  const onlySpec = (operator: string, extra: Record<string, unknown> = {}): PolicySet => ({
    identity: [
      {
        name: 'probe',
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'dynamodb:UpdateItem',
              Resource: TABLE_ARN,
              Condition: { [operator]: { 'dynamodb:Attributes': ['stack', 'spec'] }, ...extra },
            },
          ],
        },
      },
    ],
    account: ACCOUNT,
    principal: webFunction.principal,
  });
  const update = (policies: PolicySet, attributes?: string[]) =>
    evaluate(policies, {
      action: 'dynamodb:UpdateItem',
      resource: TABLE_ARN,
      context: attributes === undefined ? {} : { 'dynamodb:Attributes': attributes },
    }).then((v) => v.result);

  it('ForAllValues: every attribute listed, a subset allowed, one more denied, no key at all allowed', async () => {
    const policy = onlySpec('ForAllValues:StringEquals');
    expect(await update(policy, ['stack', 'spec'])).toBe('Allowed');
    expect(await update(policy, ['spec'])).toBe('Allowed');
    expect(await update(policy, ['stack', 'spec', 'lease'])).toBe('ImplicitlyDenied');
    expect(await update(policy, ['lease'])).toBe('ImplicitlyDenied');
    expect(await update(policy, undefined)).toBe('Allowed');
  });

  it('ForAllValues with Null false: no key at all denied', async () => {
    const policy = onlySpec('ForAllValues:StringEquals', { Null: { 'dynamodb:Attributes': 'false' } });
    expect(await update(policy, undefined)).toBe('ImplicitlyDenied');
    expect(await update(policy, ['spec'])).toBe('Allowed');
  });

  it('ForAnyValue: one listed attribute among others is enough (why the grant does not use it)', async () => {
    const policy = onlySpec('ForAnyValue:StringEquals');
    expect(await update(policy, ['spec', 'lease'])).toBe('Allowed');
    expect(await update(policy, ['lease'])).toBe('ImplicitlyDenied');
  });
});
