import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
// The schema spec/ validates with, from its own module: importing it through spec/'s index would load
// Ajv and every rule at start, for a route a cold start rarely serves.
import { desiredStateSchema } from '../../spec/schema';

/**
 * /docs shows the desired-state schema itself, so the documented contract is the enforced one. The
 * JSON Schema identifiers mean nothing inside an OpenAPI document and are left out.
 */
function withoutSchemaIds(schema: Record<string, unknown>): SchemaObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest as SchemaObject;
}

export const desiredStateDocSchema: SchemaObject = withoutSchemaIds(
  desiredStateSchema as unknown as Record<string, unknown>,
);

export const validationErrorDocSchema: SchemaObject = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer', example: 400 },
    message: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          path: { type: 'string', example: 'fargate.memoryMb' },
          message: { type: 'string', example: 'must be >= 512' },
        },
      },
    },
  },
};
