import 'reflect-metadata';
import { DOMAIN_SMOKE } from '#domain';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
@Module({})
class M {}
const app = await NestFactory.create(M, { logger: false });
await app.init();
console.log('ok', DOMAIN_SMOKE);
await app.close();
