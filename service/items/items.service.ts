import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Item, ItemInput } from './item.schema';

/** In memory on purpose: each Lambda environment or Fargate task has its own, which is enough for load tests. */
@Injectable()
export class ItemsService {
  private readonly items = new Map<string, Item>();

  list(): Item[] {
    return [...this.items.values()];
  }

  get(id: string): Item {
    const item = this.items.get(id);
    if (!item) throw new NotFoundException(`item ${id} not found`);
    return item;
  }

  create(input: ItemInput): Item {
    const now = new Date().toISOString();
    const item: Item = { id: randomUUID(), tags: [], ...input, createdAt: now, updatedAt: now };
    this.items.set(item.id, item);
    return item;
  }

  replace(id: string, input: ItemInput): Item {
    const current = this.get(id);
    const item: Item = { ...current, tags: [], ...input, updatedAt: new Date().toISOString() };
    this.items.set(id, item);
    return item;
  }

  remove(id: string): void {
    if (!this.items.delete(id)) throw new NotFoundException(`item ${id} not found`);
  }
}
