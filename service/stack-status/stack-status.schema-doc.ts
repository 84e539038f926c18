import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The outline of GET /stack-status for /docs; `StackStatusView` is the type it describes. */
export const stackStatusDocSchema: SchemaObject = {
  type: 'object',
  required: ['stack', 'generation', 'version', 'phase', 'conditions', 'resources', 'events'],
  properties: {
    stack: { type: 'string' },
    generation: { type: 'integer' },
    observedGeneration: { type: 'integer' },
    version: { type: 'integer' },
    phase: {
      type: 'string',
      enum: ['Pending', 'Lambda', 'ScalingUp', 'Fargate', 'ScalingDown', 'Deleting', 'Error'],
    },
    tier: { type: 'string', enum: ['lambda', 'fargate'] },
    traffic: {
      type: 'object',
      properties: { lambda: { type: 'number' }, fargate: { type: 'number' } },
    },
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
          reason: { type: 'string' },
          message: { type: 'string' },
          lastTransitionTime: { type: 'integer', description: 'epoch ms' },
        },
      },
    },
    lastDecision: {
      type: 'object',
      properties: { tier: { type: 'string' }, reason: { type: 'string' }, at: { type: 'integer' } },
    },
    resources: { type: 'object', additionalProperties: { type: 'object' } },
    events: { type: 'array', description: 'Newest first', items: { type: 'object' } },
    lastPass: { type: 'object' },
    deletionRequestedAt: { type: 'integer' },
  },
};
