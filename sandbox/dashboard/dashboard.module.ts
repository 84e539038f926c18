import { type DynamicModule, Module } from '@nestjs/common';
import { DashboardAssets } from './dashboard.assets';
import { DashboardController } from './dashboard.controller';
import { DASHBOARD_SOURCE, type DashboardSource } from './dashboard-source';

/**
 * The sandbox's dashboard at `/`, with its JSON API under `/sandbox`. Only the local sandbox adds it
 * (through createApp's `modules`): in AWS there is no simulated traffic to show or set.
 */
@Module({})
export class DashboardModule {
  static forSource(source: DashboardSource): DynamicModule {
    return {
      module: DashboardModule,
      controllers: [DashboardController],
      providers: [{ provide: DASHBOARD_SOURCE, useValue: source }, DashboardAssets],
    };
  }
}
