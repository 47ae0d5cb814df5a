import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AccountsService } from './accounts/accounts.service.js';
import { AppModule } from './app.module.js';
import { ConfigError, createPinoLogger, JsonLogger, loadConfig, probeDependencies } from '#store';
import { configureApp } from './configure-app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const problem = await probeDependencies(config);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    // JSON from the first line; configureApp then installs the app's own logger (same settings).
    logger: new JsonLogger(createPinoLogger({ service: 'api', level: config.LOG_LEVEL })),
  });
  configureApp(app, config);
  if (config.BOOTSTRAP_ADMIN_TOKEN) {
    const created = await app.get(AccountsService).ensureBootstrapAdmin(config.BOOTSTRAP_ADMIN_TOKEN);
    if (created) Logger.log('bootstrap admin credential created from BOOTSTRAP_ADMIN_TOKEN', 'Bootstrap');
  }
  await app.listen(config.PORT);
  Logger.log(`API on http://127.0.0.1:${config.PORT} (docs at /docs)`, 'Bootstrap');
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
