export * from './enums.js';
export * from './errors.js';
export * from './credit-code.js';
export * from './entities/index.js';
export { dataSourceOptions } from './database/data-source-options.js';
export { SnakeNamingStrategy } from './database/snake-naming.strategy.js';
export * from './zone-time.js';
export { AppConfig, ConfigError, loadConfig } from './config/app-config.js';
export { probeDependencies } from './config/dependency-probe.js';
