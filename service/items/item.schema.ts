import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** The sample resource standing for a user's own API. The schema is both the validator and the Swagger doc. */
export interface ItemInput {
  name: string;
  price: number;
  tags?: string[];
}

export interface Item extends Required<ItemInput> {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

const itemInputProperties: Record<string, SchemaObject> = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  price: { type: 'number', minimum: 0 },
  tags: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 50 } },
};

export const itemInputSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'price'],
  properties: itemInputProperties,
};

export const itemSchema: SchemaObject = {
  type: 'object',
  required: ['id', 'name', 'price', 'tags', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    ...itemInputProperties,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
