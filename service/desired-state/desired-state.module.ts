import { Module } from '@nestjs/common';
import { DesiredStateController } from './desired-state.controller';
import { DesiredStateService } from './desired-state.service';
import { SpecValidationPipe } from './spec-validation.pipe';
import { WriteTokenGuard } from './write-token.guard';

@Module({
  controllers: [DesiredStateController],
  providers: [DesiredStateService, SpecValidationPipe, WriteTokenGuard],
})
export class DesiredStateModule {}
