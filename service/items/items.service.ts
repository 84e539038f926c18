import { HttpException, HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Item, ItemInput } from './item.schema';

/**
 * Items a Lambda environment or Fargate task keeps. The routes take anyone's requests (they stand for a
 * user's own API): unbounded, a loop of POSTs would grow the process until it is killed, and the stack's
 * /health, /desired-state and /stack-status with it. A thousand items is about a megabyte at most.
 */
export const MAX_ITEMS = 1000;

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
    if (this.items.size >= MAX_ITEMS) {
      throw new HttpException(
        `the sample store holds at most ${MAX_ITEMS} items: delete some first`,
        HttpStatus.INSUFFICIENT_STORAGE,
      );
    }
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
