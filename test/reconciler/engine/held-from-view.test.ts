/**
 * holdersFromView: what a pass planning from the transition view reads again when it misses a resource
 * of the stack, so that a dependent taken from the view can contradict the miss (it can't from the view).
 */
import { ResourceGraph } from '../../../reconciler/engine/graph';
import { holdersFromView } from '../../../reconciler/engine/held-by-dependents';
import { found, heldKind as kind, known, observation } from './held-kinds';

const GRAPH = ResourceGraph.of([
  kind('api'),
  kind('domain'),
  kind('stage', ['api']),
  kind('mapping', ['domain', 'api', 'stage'], { api: 'apiId' }),
]);

describe('holdersFromView', () => {
  const missed = observation({
    api: undefined,
    domain: found('domain', 'api.example.test'),
    mapping: found('mapping', 'm-1', { apiId: 'api-1' }),
  });

  it('names a dependent taken from the view that names the missed resource', () => {
    expect(holdersFromView(GRAPH, missed, known({ api: ['api-1'] }), new Set(['domain', 'mapping']))).toEqual(
      ['mapping'],
    );
  });

  it('names none read by this pass (it holds already), none naming another id, none when nothing is missed', () => {
    expect(holdersFromView(GRAPH, missed, known({ api: ['api-1'] }), new Set(['domain']))).toEqual([]);
    expect(holdersFromView(GRAPH, missed, known({ api: ['api-2'] }), new Set(['mapping']))).toEqual([]);
    const seen = observation({ ...missed.resources, api: found('api', 'api-1') });
    expect(holdersFromView(GRAPH, seen, known({ api: ['api-1'] }), new Set(['mapping']))).toEqual([]);
  });
});
