import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { setHelperThreads } from '#matching';
import { ConfigError, createPinoLogger, JsonLogger, loadConfig, probeDependencies } from '#store';
import { MATCHING_HELPER_THREADS } from './worker-tuning.js';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (MATCHING_HELPER_THREADS !== undefined) setHelperThreads(MATCHING_HELPER_THREADS);
  const problem = await probeDependencies(config);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  // No HTTP server: an application context whose BullMQ workers start with it and drain on SIGTERM.
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: new JsonLogger(createPinoLogger({ service: 'worker', level: config.LOG_LEVEL })),
  });
  app.enableShutdownHooks();
  Logger.log('worker started', 'Worker');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
