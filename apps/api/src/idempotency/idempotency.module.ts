import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from '#store';

@Module({ providers: [IdempotencyStore, IdempotencyInterceptor], exports: [IdempotencyInterceptor] })
export class IdempotencyModule {}
