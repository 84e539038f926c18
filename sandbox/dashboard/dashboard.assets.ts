import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = ['index.html', 'dashboard.js', 'dashboard.css'] as const;
export type AssetName = (typeof FILES)[number];

/**
 * The page, script and styles, read once at start: plain files beside this one, so that the sandbox runs
 * from a fresh clone with no build step.
 */
@Injectable()
export class DashboardAssets {
  private readonly files = new Map<AssetName, string>(
    FILES.map((name) => [name, readFileSync(join(__dirname, 'static', name), 'utf8')]),
  );

  get(name: AssetName): string {
    return this.files.get(name)!;
  }
}
