/** The per-pass line of `reconcile` (and `apply --wait`), from a pass result alone. */
import { ReconcileProgress } from '../../cli/reconcile-progress';
import type { PlanStep } from '../../reconciler/engine/types';
import type { PassResult } from '../../reconciler/pass/outcome';

const AT = Date.UTC(2026, 0, 1, 4, 11, 11);

function line(result: Partial<PassResult>): string {
  const lines: string[] = [];
  const pass: PassResult = {
    stack: 'catalog-api',
    outcome: 'reconciled',
    settled: false,
    calls: { total: 22, mutating: 0, byOperation: {} },
    ...result,
  };
  new ReconcileProgress((text) => lines.push(text)).pass(pass, 2, AT, undefined);
  return lines.join('\n');
}

describe('the pass line', () => {
  it('says a deletion finished without a phase the stack no longer has', () => {
    // The pass that removes the record reports the phase it started in (Deleting) and settled: read as
    // "still deleting", which it is not.
    expect(line({ outcome: 'deleted', phase: 'Deleting', settled: true })).toBe(
      '[04:11:11] catalog-api pass 2: deleted: its resources and then its record are gone; 22 API calls, 0 mutating',
    );
  });

  it('gives the phase of a stack that is still there, and says when it settled', () => {
    expect(line({ phase: 'Lambda', settled: true })).toBe(
      '[04:11:11] catalog-api pass 2: phase Lambda (settled); 22 API calls, 0 mutating',
    );
  });
});

describe('a step waiting', () => {
  it('says what it waits for in words: no step id, call prefix or error class', () => {
    const lines: string[] = [];
    const step = { action: 'create', key: 'dns-fargate', id: 'create:dns-fargate' } as unknown as PlanStep;
    new ReconcileProgress((text) => lines.push(text)).step('orders-api', step, {
      status: 'waiting',
      reason:
        'waits for create:alb: creating AWS::Route53::RecordSet (dns-fargate): DependencyNotThere: its ALB is not made yet',
    } as never);
    expect(lines).toEqual([
      '  orders-api: + dns-fargate: waiting: waits for creating the load balancer: its ALB is not made yet',
    ]);
  });
});
