/**
 * A resource the plan creates but AWS does not show yet (its step waiting on another) is listed by
 * `status` and the dashboard as being created, with its kind: the kind comes from the pass's plan, as
 * the status keeps it, since nothing was found to take it from.
 */
import { resourceLines } from '../../cli/stack-view';
import { scenario, specInput, STACK } from '../scenarios/harness';

describe('resources being created', () => {
  it('are listed with their kind before AWS shows them', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    expect(await s.pass()).not.toBe('crashed');
    const lines = resourceLines(await s.store.get(STACK));
    const notThereYet = lines.filter((line) => line.id === '-');
    // The first pass of a Fargate stack: the service waits for its load balancer, among others.
    expect(notThereYet.map((line) => line.key)).toContain('service');
    expect(notThereYet.map((line) => [line.key, line.state, line.kind])).toContainEqual([
      'service',
      'creating',
      'AWS::ECS::Service',
    ]);
    expect(notThereYet.filter((line) => !line.kind.startsWith('AWS::'))).toEqual([]);
  });
});
