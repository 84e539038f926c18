import { Module } from '@nestjs/common';
import { StackStatusController } from './stack-status.controller';

@Module({ controllers: [StackStatusController] })
export class StackStatusModule {}
