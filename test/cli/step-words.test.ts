/**
 * "waiting for" in words (status, the dashboard, reconcile's progress): no step ids, no SDK error class
 * names, no resource keys; the record and `-o json` keep the ids.
 */
import type { StackRecord } from '../../reconciler/state/types';
import { causeWords, waitingStepWords } from '../../cli/step-words';
import { waitingFor } from '../../cli/stack-view';

describe('the words of a step waiting', () => {
  it('names the resource and what the step waits for, the cause without its class name', () => {
    expect(waitingStepWords('create:subnet-a', 'subnet is pending')).toBe(
      'subnet a to be created: subnet is pending',
    );
    expect(
      waitingStepWords(
        'create:dns-fargate',
        'creating AWS::Route53::RecordSet (dns-fargate): DependencyNotThere: its ALB is not made yet; the record is, once it is',
      ),
    ).toBe("the Fargate tier's DNS record to be created: its ALB is not made yet; the record is, once it is");
    expect(waitingStepWords('wait:alb', 'load balancer is provisioning')).toBe(
      'the load balancer to become ready: load balancer is provisioning',
    );
    expect(waitingStepWords('delete:tg@tg-123', 'in use')).toBe(
      'the target group tg-123 (a duplicate) to be deleted: in use',
    );
  });

  it('says the steps and resources a cause names in words', () => {
    expect(causeWords('waits for create:lambda-function: function is Pending')).toBe(
      'waits for creating the function: function is Pending',
    );
    expect(causeWords('holding traffic at Fargate 0 %: could not observe alb, tg, service')).toBe(
      'holding traffic at Fargate 0 %: could not look up the load balancer, the target group, the Fargate service',
    );
  });

  it('is what waitingFor lists, for a stack between tiers', () => {
    const record = {
      stack: 'orders-api',
      spec: {},
      version: 1,
      generation: 1,
      status: {
        phase: 'ScalingUp',
        conditions: [{ type: 'Ready', status: 'False', reason: 'Progressing', message: 'applying' }],
        trafficAwaiting: 'holding traffic at Fargate 0 %: could not observe alb, tg',
        lastPlan: {
          steps: [
            { id: 'create:subnet-a', outcome: { status: 'waiting', reason: 'subnet is pending' } },
            {
              id: 'create:dns-fargate',
              outcome: {
                status: 'waiting',
                reason:
                  'creating AWS::Route53::RecordSet (dns-fargate): DependencyNotThere: its ALB is not made yet',
              },
            },
          ],
        },
      },
    } as unknown as StackRecord;
    const waits = waitingFor(record);
    expect(waits).toEqual([
      'holding traffic at Fargate 0 %: could not look up the load balancer, the target group',
      'subnet a to be created: subnet is pending',
      "the Fargate tier's DNS record to be created: its ALB is not made yet",
    ]);
    expect(waits.join('\n')).not.toMatch(/create:|wait:|DependencyNotThere|AWS::/);
  });
});
