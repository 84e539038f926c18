/** Bodies of the dashboard's controls: one schema each, enforced by JsonSchemaPipe and shown in /docs. */

/** Far above any Fargate tier the demo's maxTasks can serve: a typo (100000) is refused, not simulated. */
export const MAX_SANDBOX_RPS = 10_000;

export const trafficBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rps'],
  properties: {
    rps: {
      type: 'number',
      minimum: 0,
      maximum: MAX_SANDBOX_RPS,
      description: 'Requests per second the simulated clients send',
    },
  },
} as const;

export const modeBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['mode', 'generation'],
  properties: {
    mode: { type: 'string', enum: ['auto', 'lambda', 'fargate'] },
    generation: {
      type: 'integer',
      minimum: 1,
      description: 'The spec generation the change is based on (from GET /sandbox/state)',
    },
    incarnation: {
      type: 'string',
      // INCARNATION_PATTERN of reconciler/state/incarnation.ts.
      pattern: '^[A-Za-z0-9_-]{1,64}$',
      'x-patternDescription': 'an incarnation from GET /sandbox/state: 1 to 64 letters, digits, "-" or "_"',
      description:
        'The incarnation of the record that generation was read from (from GET /sandbox/state); left out only for a record that has none, created before incarnations',
    },
  },
} as const;

export interface TrafficBody {
  rps: number;
}

export interface ModeBody {
  mode: 'auto' | 'lambda' | 'fargate';
  generation: number;
  incarnation?: string;
}
