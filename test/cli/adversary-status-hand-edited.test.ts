/**
 * adversary: a record edited by hand in the console, read back by `lambdaflex status` and by the service's
 * GET /stack-status: what the reconciler's next pass has not written over yet must still print.
 */
import { formatStatus } from '../../cli/commands/status';
import { toRecord } from '../../reconciler/state/record';
import { toPublicStackStatusView, toStackStatusView } from '../../service/stack-status/stack-status.view';

const ITEM = {
  stack: 'orders-api',
  spec: { stack: 'orders-api', image: 'x' },
  generation: 2,
  version: 7,
  incarnation: '9f2c4e1a7b3d',
  events: [],
  bookkeeping: { owned: {}, intents: {}, retries: {}, pendingChanges: {} },
  status: {
    observedGeneration: 2,
    phase: 'Lambda',
    conditions: [{ type: 'Ready', status: 'True', reason: 'Settled', message: 'ok', lastTransitionTime: 1 }],
    resources: { function: { id: 'lf-orders-api-function', kind: 'AWS::Lambda::Function' } },
  },
};

const EDITS: [string, Record<string, unknown>][] = [
  ['nothing', {}],
  ['a resource without its kind', { status: { ...ITEM.status, resources: { function: { id: 'x' } } } }],
  ['events holding null, a number and a half event', { events: [null, 5, { type: 7 }, { at: 'x' }] }],
  ['status.phase a number', { status: { ...ITEM.status, phase: 5 } }],
  [
    'status.conditions holding null and a half condition',
    { status: { ...ITEM.status, conditions: [null, { type: 'Ready' }] } },
  ],
  ['status.resources holding null', { status: { ...ITEM.status, resources: { function: null, api: 'x' } } }],
  ['status.traffic a string', { status: { ...ITEM.status, traffic: 'all on lambda' } }],
  ['status.lastPass a string', { status: { ...ITEM.status, lastPass: 'yesterday' } }],
  ['status.lastDecision half a decision', { status: { ...ITEM.status, lastDecision: { tier: 5 } } }],
  ['status.conflicts a string', { status: { ...ITEM.status, conflicts: 'some' } }],
  ['status.pendingCreates a number', { status: { ...ITEM.status, pendingCreates: 3 } }],
  ['lease half a lease', { lease: { holder: 5 } }],
  ['spec a string', { spec: 'oops' }],
];

describe('adversary: a record edited by hand, printed', () => {
  it.each(EDITS)(
    '%s: status, and GET /stack-status with and without the token, still print',
    (_name, edit) => {
      const record = toRecord({ ...ITEM, ...edit });
      expect(() => formatStatus(record)).not.toThrow();
      expect(() => JSON.stringify(toStackStatusView(record))).not.toThrow();
      expect(() => JSON.stringify(toPublicStackStatusView(record))).not.toThrow();
    },
  );
});
