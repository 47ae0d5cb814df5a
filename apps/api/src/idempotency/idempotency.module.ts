import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

@Module({ providers: [IdempotencyStore, IdempotencyInterceptor], exports: [IdempotencyInterceptor] })
export class IdempotencyModule {}
